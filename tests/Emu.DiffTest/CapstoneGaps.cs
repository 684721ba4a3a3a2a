using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;
using Emu.IR;

namespace Emu.DiffTest;

/// <summary>
/// What Capstone 4 (Gee.External.Capstone 2.3.0) does not decode although the architecture defines it:
/// extensions newer than its LLVM tables. For these encodings the generator and the coverage test rely on
/// our emitter's own reserved-value checks instead of Capstone.
/// </summary>
public static class CapstoneGaps
{
    public static readonly IReadOnlyDictionary<string, string> UnknownEncodings = new Dictionary<string, string>
    {
        ["LDLARB"] = "LOR (Armv8.1) LDLAR*, unknown to Capstone 4; executed as LDAR*, like qemu",
        ["LDLARH"] = "LOR (Armv8.1), unknown to Capstone 4",
        ["LDLAR_W"] = "LOR (Armv8.1), unknown to Capstone 4",
        ["LDLAR_X"] = "LOR (Armv8.1), unknown to Capstone 4",
        ["STLLRB"] = "LOR (Armv8.1) STLLR*, unknown to Capstone 4; executed as STLR*, like qemu",
        ["STLLRH"] = "LOR (Armv8.1), unknown to Capstone 4",
        ["STLLR_W"] = "LOR (Armv8.1), unknown to Capstone 4",
        ["STLLR_X"] = "LOR (Armv8.1), unknown to Capstone 4",
        ["RMIF"] = "FlagM (Armv8.4), unknown to Capstone 4",
        ["SETF8"] = "FlagM (Armv8.4), unknown to Capstone 4",
        ["SETF16"] = "FlagM (Armv8.4), unknown to Capstone 4",
        ["CFINV"] = "FlagM (Armv8.4), unknown to Capstone 4",
        ["BC_cond"] = "HBC (Armv8.8), unknown to Capstone 4",
        ["BRAx"] = "PAuth (Armv8.3) BRAA/BRAB, unknown to Capstone 4",
        ["BLRAx"] = "PAuth (Armv8.3) BLRAA/BLRAB, unknown to Capstone 4",
        ["BRAxZ"] = "PAuth (Armv8.3), unknown to Capstone 4",
        ["BLRAxZ"] = "PAuth (Armv8.3), unknown to Capstone 4",
        ["RETAx"] = "PAuth (Armv8.3), unknown to Capstone 4",
        ["FMOV_H_reg"] = "FP16 (Armv8.2): Capstone 4 is built without full FP16",
        ["FMOV_H_imm"] = "FP16 (Armv8.2): Capstone 4 is built without full FP16",
        ["FMOV_H_W"] = "FP16 (Armv8.2): Capstone 4 is built without full FP16",
        ["FMOV_W_H"] = "FP16 (Armv8.2): Capstone 4 is built without full FP16",
        ["FMOV_H_X"] = "FP16 (Armv8.2): Capstone 4 is built without full FP16",
        ["FMOV_X_H"] = "FP16 (Armv8.2): Capstone 4 is built without full FP16",
        ["LDAPRB"] = "RCpc (Armv8.3), unknown to Capstone 4",
        ["LDAPRH"] = "RCpc (Armv8.3), unknown to Capstone 4",
        ["LDAPR_W"] = "RCpc (Armv8.3), unknown to Capstone 4",
        ["LDAPR_X"] = "RCpc (Armv8.3), unknown to Capstone 4",
        ["STLURB"] = "RCpc2 (Armv8.4) LDAPUR*/STLUR*, unknown to Capstone 4",
        ["STLURH"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["STLUR_W"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["STLUR_X"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPURB"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPURH"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPURSB_W"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPURSB_X"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPURSH_W"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPURSH_X"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPURSW"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPUR_W"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["LDAPUR_X"] = "RCpc2 (Armv8.4), unknown to Capstone 4",
        ["SQRDMLAH_vec"] = "RDM (Armv8.1), unknown to Capstone 4",
        ["SQRDMLSH_vec"] = "RDM (Armv8.1), unknown to Capstone 4",
        ["SQRDMLAH_scalar"] = "RDM (Armv8.1), unknown to Capstone 4",
        ["SQRDMLSH_scalar"] = "RDM (Armv8.1), unknown to Capstone 4",
        ["SQRDMLAH_elem"] = "RDM (Armv8.1), unknown to Capstone 4",
        ["SQRDMLAH_elem_scalar"] = "RDM (Armv8.1), unknown to Capstone 4",
        ["SQRDMLSH_elem"] = "RDM (Armv8.1), unknown to Capstone 4",
        ["SQRDMLSH_elem_scalar"] = "RDM (Armv8.1), unknown to Capstone 4",
        ["SDOT_vec"] = "DotProd (Armv8.2), unknown to Capstone 4",
        ["UDOT_vec"] = "DotProd (Armv8.2), unknown to Capstone 4",
        ["SDOT_elem"] = "DotProd (Armv8.2), unknown to Capstone 4",
        ["UDOT_elem"] = "DotProd (Armv8.2), unknown to Capstone 4",
        ["SHA512H"] = "SHA512 (Armv8.2), unknown to Capstone 4",
        ["SHA512H2"] = "SHA512 (Armv8.2), unknown to Capstone 4",
        ["SHA512SU0"] = "SHA512 (Armv8.2), unknown to Capstone 4",
        ["SHA512SU1"] = "SHA512 (Armv8.2), unknown to Capstone 4",
        ["RAX1"] = "SHA3 (Armv8.2), unknown to Capstone 4",
        ["EOR3"] = "SHA3 (Armv8.2), unknown to Capstone 4",
        ["BCAX"] = "SHA3 (Armv8.2), unknown to Capstone 4",
        ["XAR"] = "SHA3 (Armv8.2), unknown to Capstone 4",
        ["FJCVTZS"] = "JSCVT (Armv8.3), unknown to Capstone 4",
        ["FRINT32Z_scalar"] = "FRINTTS (Armv8.5), unknown to Capstone 4",
        ["FRINT32X_scalar"] = "FRINTTS (Armv8.5), unknown to Capstone 4",
        ["FRINT64Z_scalar"] = "FRINTTS (Armv8.5), unknown to Capstone 4",
        ["FRINT64X_scalar"] = "FRINTTS (Armv8.5), unknown to Capstone 4",
        ["XAFLAG"] = "FlagM2 (Armv8.5), unknown to Capstone 4",
        ["AXFLAG"] = "FlagM2 (Armv8.5), unknown to Capstone 4",
        ["SM3SS1"] = "SM3 (Armv8.2), unknown to Capstone 4",
        ["SM3TT1A"] = "SM3 (Armv8.2), unknown to Capstone 4",
        ["SM3TT1B"] = "SM3 (Armv8.2), unknown to Capstone 4",
        ["SM3TT2A"] = "SM3 (Armv8.2), unknown to Capstone 4",
        ["SM3TT2B"] = "SM3 (Armv8.2), unknown to Capstone 4",
        ["SM3PARTW1"] = "SM3 (Armv8.2), unknown to Capstone 4",
        ["SM3PARTW2"] = "SM3 (Armv8.2), unknown to Capstone 4",
        ["SM4EKEY"] = "SM4 (Armv8.2), unknown to Capstone 4",
        ["SM4E"] = "SM4 (Armv8.2), unknown to Capstone 4",
        ["FCMLA_vec"] = "FCMA (Armv8.3), unknown to Capstone 4",
        ["FCADD_vec"] = "FCMA (Armv8.3), unknown to Capstone 4",
        ["FCMLA_elem"] = "FCMA (Armv8.3), unknown to Capstone 4",
        ["SMMLA"] = "I8MM (Armv8.6), unknown to Capstone 4",
        ["UMMLA"] = "I8MM (Armv8.6), unknown to Capstone 4",
        ["USMMLA"] = "I8MM (Armv8.6), unknown to Capstone 4",
        ["USDOT_vec"] = "I8MM (Armv8.6), unknown to Capstone 4",
        ["USDOT_elem"] = "I8MM (Armv8.6), unknown to Capstone 4",
        ["SUDOT_elem"] = "I8MM (Armv8.6), unknown to Capstone 4",
        ["FRECPS_scalar_H"] = "FP16 (Armv8.2): Capstone 4 is built without full FP16",
        ["FRSQRTS_scalar_H"] = "FP16 (Armv8.2): Capstone 4 is built without full FP16",
    };

    /// <summary>True when Capstone 4 rejects <paramref name="word"/> although the architecture defines it:
    /// a whole encoding from <see cref="UnknownEncodings"/>, or a form Capstone 4 lacks within an encoding
    /// it otherwise knows. GNU objdump (binutils 2.4x) decodes all of these.</summary>
    public static bool UnknownToCapstone(Encoding e, uint word)
    {
        if (UnknownEncodings.ContainsKey(e.Name)) return true;
        // FP16 (Armv8.2) scalar forms: type field (bits 23:22) = 11 in the scalar FP lines that have one.
        if (e.Group == "fp" && HasFieldAt(e, 't', 22, 2) && ((word >> 22) & 3) == 3) return true;
        // Capstone 4 rejects about half of the valid LSE atomic words (e.g. c8e67f55 casa, 38ac8010 swpab,
        // 387802a4 ldaddlb, 782d206c ldeorh) that GNU objdump and the ARM ARM accept, in no pattern of one field.
        if (e.Group == "lse") return true;
        // AdvSIMD FP16 (Armv8.2), FHM (Armv8.2), FRINTTS (Armv8.5) and BF16 (Armv8.6): Capstone 4 lacks most of
        // these; the emitters reject the reserved values themselves.
        if (e.Group is "fp16" or "fhm" or "frintts" or "bf16") return true;
        return false;
    }

    /// <summary>True when the pattern has field <paramref name="f"/> exactly at bits [lsb+width-1:lsb].</summary>
    private static bool HasFieldAt(Encoding e, char f, int lsb, int width)
    {
        string bits = e.Pattern.Replace(" ", "", StringComparison.Ordinal);
        if (bits.Length != 32 || bits.Count(c => c == f) != width) return false;
        for (int i = 0; i < width; i++)
            if (bits[31 - (lsb + i)] != f) return false;
        return true;
    }

    [ThreadStatic] private static uint s_word;

    [ThreadStatic] private static BlockTranslator? s_translator;

    /// <summary>True when our emitter turns the word into an undefined-instruction exit (reserved field
    /// values are rejected there, not in the table); an exception is reported in <paramref name="error"/>.</summary>
    public static bool TranslatesAsUndefined(uint word, out string? error)
    {
        error = null;
        const ulong Pc = 0x10000;
        s_word = word;
        s_translator ??= new BlockTranslator(Arm64Decoder.Instance, (ulong address, out uint w) =>
        {
            w = s_word;
            return true;
        });
        IrBlock block;
        try
        {
            block = s_translator.Translate(Pc, maxInstructions: 1);
        }
        catch (Exception ex)
        {
            error = ex.GetType().Name;
            return true;
        }
        foreach (var inst in block.Insts)
            if (inst.Op == IrOp.Exit && inst.Imm2 == (ulong)ExitReason.Undefined && inst.Imm == Pc) return true;
        return false;
    }
}
