using System.Reflection;
using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;

namespace Emu.Tests.Frontend;

/// <summary>
/// Decoder tests for the data-processing, branch and system lines of the encoding table: sample words
/// (encoded by aarch64-linux-gnu-as) decode to the expected line, and every such line has a sample.
/// </summary>
public class DataProcessingDecoderTests
{
    private static readonly Type[] OwnEmitters =
    [
        typeof(InstEmitDataProcessingImmediate), typeof(InstEmitDataProcessingRegister), typeof(InstEmitBranch), typeof(InstEmitSystem),
    ];

    /// <summary>Table line name → words that must decode to it (comment: the assembler's text).</summary>
    private static readonly Dictionary<string, uint[]> Samples = new()
    {
        ["ADR"] = [0x10000040], // adr x0, .+8
        ["ADRP"] = [0x90000001], // adrp x1, .
        ["ADD_imm"] = [0x91000420, 0x11400420, 0x910003fd], // add x0, x1, #1; add w0, w1, #1, lsl #12; mov x29, sp
        ["ADDS_imm"] = [0xb10013e0, 0xb100041f], // adds x0, sp, #4; cmn x0, #1
        ["SUB_imm"] = [0xd10043ff], // sub sp, sp, #16
        ["SUBS_imm"] = [0x71000820, 0xf100041f], // subs w0, w1, #2; cmp x0, #1
        ["AND_imm"] = [0x92401c20], // and x0, x1, #0xff
        ["ORR_imm"] = [0x3204cc20], // orr w0, w1, #0xf0f0f0f0
        ["EOR_imm"] = [0xd200f020], // eor x0, x1, #0x5555555555555555
        ["ANDS_imm"] = [0xf2400020], // ands x0, x1, #1
        ["MOVN"] = [0x92a00020], // mov x0, #0xfffffffffffeffff
        ["MOVZ"] = [0x528000a0], // mov w0, #5
        ["MOVK"] = [0xf2e000e0], // movk x0, #7, lsl #48
        ["SBFM"] = [0x93421420, 0x93407c20], // sbfx x0, x1, #2, #4; sxtw x0, w1
        ["BFM"] = [0x33031020], // bfxil w0, w1, #3, #2
        ["UBFM"] = [0xd37cec20, 0x53001c20], // lsl x0, x1, #4; uxtb w0, w1
        ["EXTR"] = [0x93c20c20, 0x13811020], // extr x0, x1, x2, #3; ror w0, w1, #4
        ["AND_reg"] = [0x8a020c20], // and x0, x1, x2, lsl #3
        ["BIC_reg"] = [0x0ae20c20], // bic w0, w1, w2, ror #3
        ["ORR_reg"] = [0xaa020020, 0xaa0103e0], // orr x0, x1, x2; mov x0, x1
        ["ORN_reg"] = [0xaa220020], // orn x0, x1, x2
        ["EOR_reg"] = [0xca020020], // eor x0, x1, x2
        ["EON_reg"] = [0xca220020], // eon x0, x1, x2
        ["ANDS_reg"] = [0xea020020], // ands x0, x1, x2
        ["BICS_reg"] = [0xea220020], // bics x0, x1, x2
        ["ADD_shift"] = [0x8b020020], // add x0, x1, x2
        ["ADDS_shift"] = [0xab820c20], // adds x0, x1, x2, asr #3
        ["SUB_shift"] = [0xcb420c20], // sub x0, x1, x2, lsr #3
        ["SUBS_shift"] = [0xeb020020], // subs x0, x1, x2
        ["ADD_ext"] = [0x8b224be0], // add x0, sp, w2, uxtw #2
        ["ADDS_ext"] = [0xab228020], // adds x0, x1, w2, sxtb
        ["SUB_ext"] = [0xcb2263ff], // sub sp, sp, x2
        ["SUBS_ext"] = [0xeb22f020], // subs x0, x1, x2, sxtx #4
        ["ADC"] = [0x9a020020], // adc x0, x1, x2
        ["ADCS"] = [0x3a020020], // adcs w0, w1, w2
        ["SBC"] = [0xda020020], // sbc x0, x1, x2
        ["SBCS"] = [0xfa020020], // sbcs x0, x1, x2
        ["RMIF"] = [0xba018425], // rmif x1, #3, #5
        ["SETF8"] = [0x3a00082d], // setf8 w1
        ["SETF16"] = [0x3a00482d], // setf16 w1
        ["CCMN_reg"] = [0xba410003], // ccmn x0, x1, #3, eq
        ["CCMP_reg"] = [0xfa411003], // ccmp x0, x1, #3, ne
        ["CCMN_imm"] = [0xba450803], // ccmn x0, #5, #3, eq
        ["CCMP_imm"] = [0x7a451803], // ccmp w0, #5, #3, ne
        ["CSEL"] = [0x9a820020], // csel x0, x1, x2, eq
        ["CSINC"] = [0x9a820420, 0x1a9f17e0], // csinc x0, x1, x2, eq; cset w0, eq
        ["CSINV"] = [0xda820020], // csinv x0, x1, x2, eq
        ["CSNEG"] = [0xda820420], // csneg x0, x1, x2, eq
        ["MADD"] = [0x9b020c20, 0x9b027c20], // madd x0, x1, x2, x3; mul x0, x1, x2
        ["MSUB"] = [0x9b028c20], // msub x0, x1, x2, x3
        ["SMADDL"] = [0x9b220c20], // smaddl x0, w1, w2, x3
        ["SMSUBL"] = [0x9b228c20], // smsubl x0, w1, w2, x3
        ["UMADDL"] = [0x9ba20c20], // umaddl x0, w1, w2, x3
        ["UMSUBL"] = [0x9ba28c20], // umsubl x0, w1, w2, x3
        ["SMULH"] = [0x9b427c20], // smulh x0, x1, x2
        ["UMULH"] = [0x9bc27c20], // umulh x0, x1, x2
        ["UDIV"] = [0x9ac20820], // udiv x0, x1, x2
        ["SDIV"] = [0x9ac20c20], // sdiv x0, x1, x2
        ["LSLV"] = [0x9ac22020], // lsl x0, x1, x2
        ["LSRV"] = [0x9ac22420], // lsr x0, x1, x2
        ["ASRV"] = [0x9ac22820], // asr x0, x1, x2
        ["RORV"] = [0x9ac22c20], // ror x0, x1, x2
        ["RBIT"] = [0xdac00020], // rbit x0, x1
        ["REV16"] = [0xdac00420], // rev16 x0, x1
        ["REV32"] = [0xdac00820, 0x5ac00820], // rev32 x0, x1; rev w0, w1
        ["REV"] = [0xdac00c20], // rev x0, x1
        ["CLZ"] = [0xdac01020], // clz x0, x1
        ["CLS"] = [0xdac01420], // cls x0, x1
        ["B"] = [0x14000002], // b .+8
        ["BL"] = [0x94000002], // bl .+8
        ["B_cond"] = [0x54000040], // b.eq .+8
        ["BC_cond"] = [0x54000051], // bc.ne .+8
        ["CBZ"] = [0xb4000040], // cbz x0, .+8
        ["CBNZ"] = [0x35000040], // cbnz w0, .+8
        ["TBZ"] = [0xb6080040], // tbz x0, #33, .+8
        ["TBNZ"] = [0x37180040], // tbnz w0, #3, .+8
        ["BR"] = [0xd61f0020], // br x1
        ["BLR"] = [0xd63f0020], // blr x1
        ["RET"] = [0xd65f03c0], // ret
        ["BRAxZ"] = [0xd61f083f, 0xd61f0c3f], // braaz x1; brabz x1
        ["BLRAxZ"] = [0xd63f083f], // blraaz x1
        ["BRAx"] = [0xd71f0822], // braa x1, x2
        ["BLRAx"] = [0xd73f0c22], // blrab x1, x2
        ["RETAx"] = [0xd65f0bff, 0xd65f0fff], // retaa; retab
        ["SVC"] = [0xd4000001], // svc #0
        ["HVC"] = [0xd4000002], // hvc #0
        ["SMC"] = [0xd4000003], // smc #0
        ["BRK"] = [0xd4200020], // brk #1
        ["HLT"] = [0xd4400040], // hlt #2
        ["UDF"] = [0x00000003], // udf #3
        ["HINT"] = [0xd503201f, 0xd503203f, 0xd503205f, 0xd503207f, 0xd503209f, 0xd50320bf, 0xd503233f, 0xd50323bf, 0xd503245f, 0xd50320ff], // nop, yield, wfe, wfi, sev, sevl, paciasp, autiasp, bti c, xpaclri
        ["CLREX"] = [0xd5033f5f], // clrex
        ["DMB"] = [0xd5033bbf], // dmb ish
        ["DSB"] = [0xd5033f9f], // dsb sy
        ["ISB"] = [0xd5033fdf], // isb
        ["SB"] = [0xd50330ff], // sb
        ["CFINV"] = [0xd500401f], // cfinv
        ["SYS"] = [0xd50b7420, 0xd50b7b20, 0xd50b7520], // dc zva, x0; dc cvau, x0; ic ivau, x0
        ["MSR_reg"] = [0xd51bd040, 0xd51b4200, 0xd51b4420], // msr tpidr_el0, x0; msr nzcv, x0; msr fpsr, x0
        ["MRS"] = [0xd53bd040, 0xd53b4200, 0xd53b4400, 0xd53be040, 0xd53b00e0], // mrs x0, tpidr_el0 / nzcv / fpcr / cntvct_el0 / dczid_el0
    };

    private static IEnumerable<Encoding> OwnLines() =>
        A64Encodings.All.Where(e => OwnEmitters.Contains(e.Emit.Method.DeclaringType));

    public static IEnumerable<object[]> SampleNames() => Samples.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void SampleWordsDecodeToTheirLine(string name)
    {
        foreach (uint word in Samples[name])
        {
            var enc = Arm64Decoder.Instance.Decode(word);
            Assert.True(enc != null, $"0x{word:x8} does not decode (expected {name})");
            Assert.True(enc.Name == name, $"0x{word:x8} decodes to {enc.Name}, expected {name}");
        }
    }

    [Fact]
    public void EveryLineHasASampleAndMatchesIt()
    {
        foreach (var e in OwnLines())
        {
            Assert.True(Samples.ContainsKey(e.Name), $"table line {e.Name} has no sample word");
            foreach (uint word in Samples[e.Name]) Assert.True(e.Matches(word), $"{e.Name} does not match its sample 0x{word:x8}");
        }
        Assert.Equal(Samples.Count, OwnLines().Select(e => e.Name).Distinct().Count());
    }

    [Fact]
    public void NoTwoLinesHaveTheSameMaskAndValue()
    {
        var duplicates = A64Encodings.All.GroupBy(e => (e.Mask, e.Value)).Where(g => g.Count() > 1)
            .Select(g => string.Join(", ", g.Select(e => e.Name))).ToList();
        Assert.True(duplicates.Count == 0, "duplicate encodings: " + string.Join("; ", duplicates));
    }

    [Fact]
    public void NamesAreUnique()
    {
        var duplicates = OwnLines().GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Theory]
    [InlineData(0x8b020020u, "ADD_shift")] // add x0, x1, x2
    [InlineData(0xd65f03c0u, "RET")] // ret
    [InlineData(0xd503201fu, "HINT")] // nop
    [InlineData(0xd4000001u, "SVC")] // svc #0
    [InlineData(0xaa0103e0u, "ORR_reg")] // mov x0, x1
    [InlineData(0xeb01001fu, "SUBS_shift")] // cmp x0, x1
    [InlineData(0x2a0103e0u, "ORR_reg")] // mov w0, w1
    public void WellKnownWords(uint word, string name) => Assert.Equal(name, Arm64Decoder.Instance.Decode(word)?.Name);

    [Theory]
    [InlineData(0x8bc20020u)] // add x0, x1, x2 with shift type 11 (reserved): no line claims bit 22+23 set with bit 21 clear for add-extended
    [InlineData(0xd4a00000u)] // exception generation opc 101: unallocated
    public void UnallocatedWordsEitherDoNotDecodeOrAreRejectedByTheEmitter(uint word)
    {
        var enc = Arm64Decoder.Instance.Decode(word);
        if (enc == null) return;
        var block = new Emu.IR.IrBlock(0x1000);
        var e = new ArmEmitter(new Emu.IR.IrBuilder(block)) { };
        enc.Emit(e, word);
        Assert.Equal(Emu.IR.IrOp.Exit, block.Terminator.Op);
        Assert.Equal((ulong)Emu.Cpu.ExitReason.Undefined, block.Terminator.Imm2);
    }
}
