using Emu.Frontend.Translation;

namespace Emu.Frontend.Decoder;

/// <summary>
/// The A64 encoding table: one line per encoding, `Inst(name, pattern, emitter)`. Patterns are written
/// MSB first; spaces are ignored. Lowercase letters name fields (sf, Rm, imm...); their meaning is in the
/// emitter. The decoder, the unit tests and the random-instruction tester all consume this list.
/// </summary>
public static class A64Encodings
{
    private static Encoding Inst(string name, string pattern, InstEmitter emit, string group = "base") => new(name, pattern, emit, group);

    public static readonly Encoding[] All =
    [
        // ---- data processing: immediate (InstEmitDataProcessingImmediate) ----
        // Fields: s=sf, d=Rd, n=Rn, m=Rm, i=immediate, h=shift/hw, N, r=immr, x=imms.
        Inst("ADR", "0ii10000iiiiiiiiiiiiiiiiiiiddddd", InstEmitDataProcessingImmediate.Adr),
        Inst("ADRP", "1ii10000iiiiiiiiiiiiiiiiiiiddddd", InstEmitDataProcessingImmediate.Adrp),
        Inst("ADD_imm", "s00100010hiiiiiiiiiiiinnnnnddddd", InstEmitDataProcessingImmediate.AddImm),
        Inst("ADDS_imm", "s01100010hiiiiiiiiiiiinnnnnddddd", InstEmitDataProcessingImmediate.AddsImm),
        Inst("SUB_imm", "s10100010hiiiiiiiiiiiinnnnnddddd", InstEmitDataProcessingImmediate.SubImm),
        Inst("SUBS_imm", "s11100010hiiiiiiiiiiiinnnnnddddd", InstEmitDataProcessingImmediate.SubsImm),
        Inst("AND_imm", "s00100100Nrrrrrrxxxxxxnnnnnddddd", InstEmitDataProcessingImmediate.AndImm),
        Inst("ORR_imm", "s01100100Nrrrrrrxxxxxxnnnnnddddd", InstEmitDataProcessingImmediate.OrrImm),
        Inst("EOR_imm", "s10100100Nrrrrrrxxxxxxnnnnnddddd", InstEmitDataProcessingImmediate.EorImm),
        Inst("ANDS_imm", "s11100100Nrrrrrrxxxxxxnnnnnddddd", InstEmitDataProcessingImmediate.AndsImm),
        Inst("MOVN", "s00100101hhiiiiiiiiiiiiiiiiddddd", InstEmitDataProcessingImmediate.Movn),
        Inst("MOVZ", "s10100101hhiiiiiiiiiiiiiiiiddddd", InstEmitDataProcessingImmediate.Movz),
        Inst("MOVK", "s11100101hhiiiiiiiiiiiiiiiiddddd", InstEmitDataProcessingImmediate.Movk),
        Inst("SBFM", "s00100110Nrrrrrrxxxxxxnnnnnddddd", InstEmitDataProcessingImmediate.Sbfm),
        Inst("BFM", "s01100110Nrrrrrrxxxxxxnnnnnddddd", InstEmitDataProcessingImmediate.Bfm),
        Inst("UBFM", "s10100110Nrrrrrrxxxxxxnnnnnddddd", InstEmitDataProcessingImmediate.Ubfm),
        Inst("EXTR", "s00100111N0mmmmmxxxxxxnnnnnddddd", InstEmitDataProcessingImmediate.Extr),

        // ---- data processing: register (InstEmitDataProcessingRegister) ----
        // Fields: s=sf, d=Rd, n=Rn, m=Rm, a=Ra, t=shift type, i=amount, o=extend option, c=cond, f=nzcv/mask.
        Inst("AND_reg", "s0001010tt0mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.And),
        Inst("BIC_reg", "s0001010tt1mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.Bic),
        Inst("ORR_reg", "s0101010tt0mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.Orr),
        Inst("ORN_reg", "s0101010tt1mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.Orn),
        Inst("EOR_reg", "s1001010tt0mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.Eor),
        Inst("EON_reg", "s1001010tt1mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.Eon),
        Inst("ANDS_reg", "s1101010tt0mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.Ands),
        Inst("BICS_reg", "s1101010tt1mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.Bics),
        Inst("ADD_shift", "s0001011tt0mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.AddShifted),
        Inst("ADDS_shift", "s0101011tt0mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.AddsShifted),
        Inst("SUB_shift", "s1001011tt0mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.SubShifted),
        Inst("SUBS_shift", "s1101011tt0mmmmmiiiiiinnnnnddddd", InstEmitDataProcessingRegister.SubsShifted),
        Inst("ADD_ext", "s0001011001mmmmmoooiiinnnnnddddd", InstEmitDataProcessingRegister.AddExtended),
        Inst("ADDS_ext", "s0101011001mmmmmoooiiinnnnnddddd", InstEmitDataProcessingRegister.AddsExtended),
        Inst("SUB_ext", "s1001011001mmmmmoooiiinnnnnddddd", InstEmitDataProcessingRegister.SubExtended),
        Inst("SUBS_ext", "s1101011001mmmmmoooiiinnnnnddddd", InstEmitDataProcessingRegister.SubsExtended),
        Inst("ADC", "s0011010000mmmmm000000nnnnnddddd", InstEmitDataProcessingRegister.Adc),
        Inst("ADCS", "s0111010000mmmmm000000nnnnnddddd", InstEmitDataProcessingRegister.Adcs),
        Inst("SBC", "s1011010000mmmmm000000nnnnnddddd", InstEmitDataProcessingRegister.Sbc),
        Inst("SBCS", "s1111010000mmmmm000000nnnnnddddd", InstEmitDataProcessingRegister.Sbcs),
        Inst("RMIF", "10111010000iiiiii00001nnnnn0ffff", InstEmitDataProcessingRegister.Rmif, "flagm"),
        Inst("SETF8", "0011101000000000000010nnnnn01101", InstEmitDataProcessingRegister.Setf8, "flagm"),
        Inst("SETF16", "0011101000000000010010nnnnn01101", InstEmitDataProcessingRegister.Setf16, "flagm"),
        Inst("CCMN_reg", "s0111010010mmmmmcccc00nnnnn0ffff", InstEmitDataProcessingRegister.CcmnReg),
        Inst("CCMP_reg", "s1111010010mmmmmcccc00nnnnn0ffff", InstEmitDataProcessingRegister.CcmpReg),
        Inst("CCMN_imm", "s0111010010iiiiicccc10nnnnn0ffff", InstEmitDataProcessingRegister.CcmnImm),
        Inst("CCMP_imm", "s1111010010iiiiicccc10nnnnn0ffff", InstEmitDataProcessingRegister.CcmpImm),
        Inst("CSEL", "s0011010100mmmmmcccc00nnnnnddddd", InstEmitDataProcessingRegister.Csel),
        Inst("CSINC", "s0011010100mmmmmcccc01nnnnnddddd", InstEmitDataProcessingRegister.Csinc),
        Inst("CSINV", "s1011010100mmmmmcccc00nnnnnddddd", InstEmitDataProcessingRegister.Csinv),
        Inst("CSNEG", "s1011010100mmmmmcccc01nnnnnddddd", InstEmitDataProcessingRegister.Csneg),
        Inst("UDIV", "s0011010110mmmmm000010nnnnnddddd", InstEmitDataProcessingRegister.Udiv),
        Inst("SDIV", "s0011010110mmmmm000011nnnnnddddd", InstEmitDataProcessingRegister.Sdiv),
        Inst("LSLV", "s0011010110mmmmm001000nnnnnddddd", InstEmitDataProcessingRegister.Lslv),
        Inst("LSRV", "s0011010110mmmmm001001nnnnnddddd", InstEmitDataProcessingRegister.Lsrv),
        Inst("ASRV", "s0011010110mmmmm001010nnnnnddddd", InstEmitDataProcessingRegister.Asrv),
        Inst("RORV", "s0011010110mmmmm001011nnnnnddddd", InstEmitDataProcessingRegister.Rorv),
        Inst("RBIT", "s101101011000000000000nnnnnddddd", InstEmitDataProcessingRegister.Rbit),
        Inst("REV16", "s101101011000000000001nnnnnddddd", InstEmitDataProcessingRegister.Rev16),
        Inst("REV32", "s101101011000000000010nnnnnddddd", InstEmitDataProcessingRegister.Rev32),
        Inst("REV", "s101101011000000000011nnnnnddddd", InstEmitDataProcessingRegister.Rev64),
        Inst("CLZ", "s101101011000000000100nnnnnddddd", InstEmitDataProcessingRegister.Clz),
        Inst("CLS", "s101101011000000000101nnnnnddddd", InstEmitDataProcessingRegister.Cls),
        Inst("MADD", "s0011011000mmmmm0aaaaannnnnddddd", InstEmitDataProcessingRegister.Madd),
        Inst("MSUB", "s0011011000mmmmm1aaaaannnnnddddd", InstEmitDataProcessingRegister.Msub),
        Inst("SMADDL", "10011011001mmmmm0aaaaannnnnddddd", InstEmitDataProcessingRegister.Smaddl),
        Inst("SMSUBL", "10011011001mmmmm1aaaaannnnnddddd", InstEmitDataProcessingRegister.Smsubl),
        Inst("SMULH", "10011011010mmmmm0aaaaannnnnddddd", InstEmitDataProcessingRegister.Smulh),
        Inst("UMADDL", "10011011101mmmmm0aaaaannnnnddddd", InstEmitDataProcessingRegister.Umaddl),
        Inst("UMSUBL", "10011011101mmmmm1aaaaannnnnddddd", InstEmitDataProcessingRegister.Umsubl),
        Inst("UMULH", "10011011110mmmmm0aaaaannnnnddddd", InstEmitDataProcessingRegister.Umulh),

        // ---- branches, exceptions, system (InstEmitBranch, InstEmitSystem) ----
        // Fields: i=immediate/offset, c=cond, t=Rt, n=Rn, m=Rm/modifier, b=bit number, k=sysreg key (o0:op1:CRn:CRm:op2), M=PAC key.
        Inst("B", "000101iiiiiiiiiiiiiiiiiiiiiiiiii", InstEmitBranch.B),
        Inst("BL", "100101iiiiiiiiiiiiiiiiiiiiiiiiii", InstEmitBranch.Bl),
        Inst("B_cond", "01010100iiiiiiiiiiiiiiiiiii0cccc", InstEmitBranch.BCond),
        Inst("BC_cond", "01010100iiiiiiiiiiiiiiiiiii1cccc", InstEmitBranch.BCond, "hbc"),
        Inst("CBZ", "s0110100iiiiiiiiiiiiiiiiiiittttt", InstEmitBranch.Cbz),
        Inst("CBNZ", "s0110101iiiiiiiiiiiiiiiiiiittttt", InstEmitBranch.Cbnz),
        Inst("TBZ", "b0110110bbbbbiiiiiiiiiiiiiittttt", InstEmitBranch.Tbz),
        Inst("TBNZ", "b0110111bbbbbiiiiiiiiiiiiiittttt", InstEmitBranch.Tbnz),
        Inst("BR", "1101011000011111000000nnnnn00000", InstEmitBranch.Br),
        Inst("BLR", "1101011000111111000000nnnnn00000", InstEmitBranch.Blr),
        Inst("RET", "1101011001011111000000nnnnn00000", InstEmitBranch.Ret),
        Inst("BRAxZ", "110101100001111100001Mnnnnn11111", InstEmitBranch.Br, "pauth"),
        Inst("BLRAxZ", "110101100011111100001Mnnnnn11111", InstEmitBranch.Blr, "pauth"),
        Inst("BRAx", "110101110001111100001Mnnnnnmmmmm", InstEmitBranch.Br, "pauth"),
        Inst("BLRAx", "110101110011111100001Mnnnnnmmmmm", InstEmitBranch.Blr, "pauth"),
        Inst("RETAx", "110101100101111100001M1111111111", InstEmitBranch.RetPac, "pauth"),
        Inst("SVC", "11010100000iiiiiiiiiiiiiiii00001", InstEmitBranch.Svc),
        Inst("HVC", "11010100000iiiiiiiiiiiiiiii00010", InstEmitBranch.Udf),
        Inst("SMC", "11010100000iiiiiiiiiiiiiiii00011", InstEmitBranch.Udf),
        Inst("BRK", "11010100001iiiiiiiiiiiiiiii00000", InstEmitBranch.Brk),
        Inst("HLT", "11010100010iiiiiiiiiiiiiiii00000", InstEmitBranch.Hlt),
        Inst("UDF", "0000000000000000iiiiiiiiiiiiiiii", InstEmitBranch.Udf),
        Inst("HINT", "11010101000000110010mmmmiii11111", InstEmitSystem.Hint),
        Inst("CLREX", "11010101000000110011mmmm01011111", InstEmitSystem.Clrex),
        Inst("DSB", "11010101000000110011mmmm10011111", InstEmitSystem.Barrier),
        Inst("DMB", "11010101000000110011mmmm10111111", InstEmitSystem.Barrier),
        Inst("ISB", "11010101000000110011mmmm11011111", InstEmitSystem.Isb),
        Inst("SB", "11010101000000110011000011111111", InstEmitSystem.Isb),
        Inst("CFINV", "11010101000000000100000000011111", InstEmitSystem.Cfinv, "flagm"),
        Inst("SYS", "1101010100001kkkkkkkkkkkkkkttttt", InstEmitSystem.Sys),
        Inst("MSR_reg", "110101010001kkkkkkkkkkkkkkkttttt", InstEmitSystem.Msr),
        Inst("MRS", "110101010011kkkkkkkkkkkkkkkttttt", InstEmitSystem.Mrs),

        // ---- loads and stores (InstEmitLoadStore) ----

        // ---- FP/SIMD moves, loads/stores and integer SIMD (InstEmitSimd*) ----
    ];
}
