using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// AdvSIMD integer instructions beyond the basic set in <see cref="InstEmit"/>: saturating, halving, rounding,
/// shift-by-register, multiply(-accumulate), widening, narrowing, pairwise-long, by-element and dot product,
/// vector and scalar. Bit 28 distinguishes the scalar encodings (1) from the vector ones (0). Each helper call
/// gets the number of active lanes and zeroes the rest, so results are written as they are.
/// </summary>
public static class InstEmitSimdInteger
{
    private static uint F(uint word, int lo, int len) => (word >> lo) & ((1u << len) - 1);

    private static bool IsScalar(uint word) => F(word, 28, 1) == 1;

    private static IrInst Vec(ArmEmitter e, uint r) => e.Ir.GetVec((int)r);

    private static IrInst C(ArmEmitter e, ulong v) => e.Const(v);

    private static IrInst Call(ArmEmitter e, string helper, params IrInst[] args) => e.Ir.Call(typeof(SimdIntegerHelpers), helper, args);

    private static bool IsSaturating(SimdIntOp op) => op is SimdIntOp.SQadd or SimdIntOp.UQadd or SimdIntOp.SQsub or SimdIntOp.UQsub
        or SimdIntOp.SQshl or SimdIntOp.UQshl or SimdIntOp.SQrshl or SimdIntOp.UQrshl or SimdIntOp.SQdmulh or SimdIntOp.SQrdmulh
        or SimdIntOp.SQrdmlah or SimdIntOp.SQrdmlsh or SimdIntOp.SUQadd or SimdIntOp.USQadd or SimdIntOp.SQabs or SimdIntOp.SQneg
        or SimdIntOp.SQshlImm or SimdIntOp.UQshlImm or SimdIntOp.SQshluImm;

    /// <summary>Lane op over n lanes of d (accumulator), a and b.</summary>
    private static IrInst Lanes(ArmEmitter e, SimdIntOp op, IrInst d, IrInst a, IrInst b, int size, int n) =>
        Call(e, IsSaturating(op) ? nameof(SimdIntegerHelpers.LanesSat) : nameof(SimdIntegerHelpers.Lanes),
            d, a, b, C(e, (ulong)op), C(e, (ulong)size), C(e, (ulong)n));

    /// <summary>Lane op whose second operand is the immediate <paramref name="imm"/> in every lane (shifts by immediate, unary ops).</summary>
    private static IrInst LanesImm(ArmEmitter e, SimdIntOp op, IrInst d, IrInst a, ulong imm, int size, int n) =>
        Call(e, IsSaturating(op) ? nameof(SimdIntegerHelpers.LanesImmSat) : nameof(SimdIntegerHelpers.LanesImm),
            d, a, C(e, imm), C(e, (ulong)op), C(e, (ulong)size), C(e, (ulong)n));

    private static IrInst Long(ArmEmitter e, SimdLongOp op, IrInst d, IrInst a, IrInst b, int size, bool upper, int n) =>
        Call(e, op is SimdLongOp.SQdmull or SimdLongOp.SQdmlal or SimdLongOp.SQdmlsl ? nameof(SimdIntegerHelpers.LongSat) : nameof(SimdIntegerHelpers.Long),
            d, a, b, C(e, (ulong)op), C(e, (ulong)size), C(e, upper ? 1UL : 0), C(e, (ulong)n));

    /// <summary>Active lanes: 1 for scalar forms, else 64 or 128 bits' worth by Q.</summary>
    private static int LaneCount(uint word, int size) => IsScalar(word) ? 1 : (F(word, 30, 1) == 1 ? 16 : 8) >> size;

    /// <summary>Three registers of the same type: U[29], size[23:22], opcode[15:11].</summary>
    public static void ThreeSame(ArmEmitter e, uint word)
    {
        bool scalar = IsScalar(word), q = F(word, 30, 1) == 1;
        uint u = F(word, 29, 1), opcode = F(word, 11, 5);
        int size = (int)F(word, 22, 2);
        // Size rules: "narrow" ops have no 64-bit lanes and no scalar form; "hs" ops exist for H and S only;
        // the rest allow D lanes (vector: 128-bit only; scalar: saturating any size, plain shifts D only).
        (SimdIntOp op, char rule)? entry = (u, opcode) switch
        {
            (0, 0b00000) => (SimdIntOp.SHadd, 'n'),
            (1, 0b00000) => (SimdIntOp.UHadd, 'n'),
            (0, 0b00001) => (SimdIntOp.SQadd, 'q'),
            (1, 0b00001) => (SimdIntOp.UQadd, 'q'),
            (0, 0b00010) => (SimdIntOp.SRhadd, 'n'),
            (1, 0b00010) => (SimdIntOp.URhadd, 'n'),
            (0, 0b00100) => (SimdIntOp.SHsub, 'n'),
            (1, 0b00100) => (SimdIntOp.UHsub, 'n'),
            (0, 0b00101) => (SimdIntOp.SQsub, 'q'),
            (1, 0b00101) => (SimdIntOp.UQsub, 'q'),
            (0, 0b01000) => (SimdIntOp.SShl, 'd'),
            (1, 0b01000) => (SimdIntOp.UShl, 'd'),
            (0, 0b01001) => (SimdIntOp.SQshl, 'q'),
            (1, 0b01001) => (SimdIntOp.UQshl, 'q'),
            (0, 0b01010) => (SimdIntOp.SRshl, 'd'),
            (1, 0b01010) => (SimdIntOp.URshl, 'd'),
            (0, 0b01011) => (SimdIntOp.SQrshl, 'q'),
            (1, 0b01011) => (SimdIntOp.UQrshl, 'q'),
            (0, 0b01110) => (SimdIntOp.SAbd, 'n'),
            (1, 0b01110) => (SimdIntOp.UAbd, 'n'),
            (0, 0b01111) => (SimdIntOp.SAba, 'n'),
            (1, 0b01111) => (SimdIntOp.UAba, 'n'),
            (0, 0b10010) => (SimdIntOp.Mla, 'n'),
            (1, 0b10010) => (SimdIntOp.Mls, 'n'),
            (0, 0b10011) => (SimdIntOp.Mul, 'n'),
            (1, 0b10011) => (SimdIntOp.Pmul, 'b'),
            (0, 0b10110) => (SimdIntOp.SQdmulh, 'h'),
            (1, 0b10110) => (SimdIntOp.SQrdmulh, 'h'),
            _ => null,
        };
        bool ok = entry is { } en && en.rule switch
        {
            'n' => !scalar && size != 3,
            'b' => !scalar && size == 0,
            'h' => size is 1 or 2,
            'd' => scalar ? size == 3 : size != 3 || q,
            _ => scalar || size != 3 || q,
        };
        if (!ok)
        {
            e.Undefined();
            return;
        }
        uint rd = F(word, 0, 5);
        e.Ir.SetVec((int)rd, Lanes(e, entry!.Value.op, Vec(e, rd), Vec(e, F(word, 5, 5)), Vec(e, F(word, 16, 5)), size, LaneCount(word, size)));
    }

    /// <summary>Three same (extra): SQRDMLAH/SQRDMLSH (vector and scalar), SDOT/UDOT (vector).</summary>
    public static void ThreeSameExtra(ArmEmitter e, uint word)
    {
        uint u = F(word, 29, 1), opcode = F(word, 11, 4), rd = F(word, 0, 5);
        int size = (int)F(word, 22, 2);
        var d = Vec(e, rd);
        var a = Vec(e, F(word, 5, 5));
        var b = Vec(e, F(word, 16, 5));
        if (u == 1 && opcode is 0b0000 or 0b0001 && size is 1 or 2)
        {
            var op = opcode == 0 ? SimdIntOp.SQrdmlah : SimdIntOp.SQrdmlsh;
            e.Ir.SetVec((int)rd, Lanes(e, op, d, a, b, size, LaneCount(word, size)));
            return;
        }
        if (opcode == 0b0010 && size == 2 && !IsScalar(word))
        {
            e.Ir.SetVec((int)rd, Call(e, nameof(SimdIntegerHelpers.Dot), d, a, b, C(e, u ^ 1), C(e, (ulong)LaneCount(word, 2))));
            return;
        }
        e.Undefined();
    }

    /// <summary>Three different (widening/narrowing), vector and scalar: U[29], size[23:22], opcode[15:12]; Q selects the "2" forms.</summary>
    public static void ThreeDifferent(ArmEmitter e, uint word)
    {
        bool scalar = IsScalar(word), upper = F(word, 30, 1) == 1 && !scalar;
        uint u = F(word, 29, 1), opcode = F(word, 12, 4), rd = F(word, 0, 5);
        int size = (int)F(word, 22, 2);
        var d = Vec(e, rd);
        var a = Vec(e, F(word, 5, 5));
        var b = Vec(e, F(word, 16, 5));
        if (!scalar && size != 3 && opcode is 0b0100 or 0b0110)
        {
            e.Ir.SetVec((int)rd, Call(e, nameof(SimdIntegerHelpers.HighNarrow), d, a, b, C(e, (ulong)size), C(e, upper ? 1UL : 0),
                C(e, opcode == 0b0110 ? 1UL : 0), C(e, u)));
            return;
        }
        SimdLongOp? op = (u, opcode) switch
        {
            (0, 0b0101) => SimdLongOp.SAbal,
            (1, 0b0101) => SimdLongOp.UAbal,
            (0, 0b0111) => SimdLongOp.SAbdl,
            (1, 0b0111) => SimdLongOp.UAbdl,
            (0, 0b1000) => SimdLongOp.SMlal,
            (1, 0b1000) => SimdLongOp.UMlal,
            (0, 0b1010) => SimdLongOp.SMlsl,
            (1, 0b1010) => SimdLongOp.UMlsl,
            (0, 0b1100) => SimdLongOp.SMull,
            (1, 0b1100) => SimdLongOp.UMull,
            (0, 0b1001) => SimdLongOp.SQdmlal,
            (0, 0b1011) => SimdLongOp.SQdmlsl,
            (0, 0b1101) => SimdLongOp.SQdmull,
            (0, 0b1110) => SimdLongOp.Pmull,
            _ => null,
        };
        bool doubling = op is SimdLongOp.SQdmlal or SimdLongOp.SQdmlsl or SimdLongOp.SQdmull;
        bool ok = op != null && (op == SimdLongOp.Pmull ? size == 0 && !scalar : doubling ? size is 1 or 2 : size != 3 && !scalar);
        if (!ok)
        {
            e.Undefined();
            return;
        }
        e.Ir.SetVec((int)rd, Long(e, op!.Value, d, a, b, size, upper, scalar ? 1 : 8 >> size));
    }

    /// <summary>Two-register miscellaneous, vector and scalar: U[29], size[23:22], opcode[16:12].</summary>
    public static void TwoRegMisc(ArmEmitter e, uint word)
    {
        bool scalar = IsScalar(word), q = F(word, 30, 1) == 1;
        uint u = F(word, 29, 1), opcode = F(word, 12, 5), rd = F(word, 0, 5);
        int size = (int)F(word, 22, 2);
        var d = Vec(e, rd);
        var a = Vec(e, F(word, 5, 5));
        int n = LaneCount(word, size);
        bool anySize = scalar || size != 3 || q;
        IrInst? r = null;
        switch (u, opcode)
        {
            case (_, 0b00010) or (_, 0b00110) when !scalar && size != 3:
                r = Call(e, nameof(SimdIntegerHelpers.AddPairLong), d, a, C(e, (ulong)size), C(e, (ulong)n / 2), C(e, u ^ 1),
                    C(e, opcode == 0b00110 ? 1UL : 0));
                break;
            case (0, 0b00011) when anySize:
                r = LanesImm(e, SimdIntOp.SUQadd, d, a, 0, size, n);
                break;
            case (1, 0b00011) when anySize:
                r = LanesImm(e, SimdIntOp.USQadd, d, a, 0, size, n);
                break;
            case (0, 0b00111) when anySize:
                r = LanesImm(e, SimdIntOp.SQabs, d, a, 0, size, n);
                break;
            case (1, 0b00111) when anySize:
                r = LanesImm(e, SimdIntOp.SQneg, d, a, 0, size, n);
                break;
            case (_, 0b00100) when !scalar && size != 3:
                r = LanesImm(e, u == 0 ? SimdIntOp.Cls : SimdIntOp.Clz, d, a, 0, size, n);
                break;
            case (1, 0b00101) when !scalar && size == 1:
                r = LanesImm(e, SimdIntOp.Rbit, d, a, 0, 0, n * 2);
                break;
            case (1, 0b10010) or (_, 0b10100) when size != 3:
                {
                    // SQXTUN (signed to unsigned), SQXTN, UQXTN: a narrowing shift by zero.
                    ulong srcSigned = opcode == 0b10010 || u == 0 ? 1UL : 0;
                    ulong satKind = opcode == 0b10100 && u == 0 ? 1UL : 2;
                    r = Call(e, nameof(SimdIntegerHelpers.ShiftNarrow), d, a, C(e, 0), C(e, (ulong)size), C(e, !scalar && q ? 1UL : 0),
                        C(e, scalar ? 1UL : (ulong)(8 >> size)), C(e, 0), C(e, srcSigned), C(e, satKind));
                    break;
                }
            case (_, 0b11100) when !scalar && size == 2:
                r = LanesImm(e, u == 0 ? SimdIntOp.Urecpe : SimdIntOp.Ursqrte, d, a, 0, 2, n);
                break;
        }
        if (r == null) e.Undefined();
        else e.Ir.SetVec((int)rd, r);
    }

    /// <summary>Shift by immediate, vector and scalar: immh[22:19] gives the element size, immh:immb the shift; U[29], opcode[15:11].</summary>
    public static void ShiftImmediate(ArmEmitter e, uint word)
    {
        bool scalar = IsScalar(word), q = F(word, 30, 1) == 1;
        uint u = F(word, 29, 1), immh = F(word, 19, 4), immhb = F(word, 16, 7), opcode = F(word, 11, 5), rd = F(word, 0, 5);
        if (immh == 0)
        {
            e.Undefined();
            return;
        }
        int size = 31 - System.Numerics.BitOperations.LeadingZeroCount(immh), esize = 8 << size;
        var d = Vec(e, rd);
        var a = Vec(e, F(word, 5, 5));
        ulong right = (ulong)(2 * esize - (int)immhb), left = (ulong)((int)immhb - esize);
        bool narrowing = opcode is >= 0b10000 and <= 0b10011;
        if (narrowing)
        {
            // Narrowing: size names the destination; the source lanes are twice as wide.
            (ulong round, ulong srcSigned, ulong satKind)? mode = (u, opcode) switch
            {
                (1, 0b10000) => (0UL, 1UL, 2UL), // SQSHRUN
                (0, 0b10001) when !scalar => (1UL, 0UL, 0UL), // RSHRN
                (1, 0b10001) => (1UL, 1UL, 2UL), // SQRSHRUN
                (0, 0b10010) => (0UL, 1UL, 1UL), // SQSHRN
                (1, 0b10010) => (0UL, 0UL, 2UL), // UQSHRN
                (0, 0b10011) => (1UL, 1UL, 1UL), // SQRSHRN
                (1, 0b10011) => (1UL, 0UL, 2UL), // UQRSHRN
                _ => null,
            };
            if (mode is not { } m || size == 3)
            {
                e.Undefined();
                return;
            }
            e.Ir.SetVec((int)rd, Call(e, nameof(SimdIntegerHelpers.ShiftNarrow), d, a, C(e, right), C(e, (ulong)size), C(e, !scalar && q ? 1UL : 0),
                C(e, scalar ? 1UL : (ulong)(8 >> size)), C(e, m.round), C(e, m.srcSigned), C(e, m.satKind)));
            return;
        }
        (SimdIntOp op, ulong shift, bool dOnlyScalar)? entry = (u, opcode) switch
        {
            (0, 0b00100) => (SimdIntOp.SRshr, right, true),
            (1, 0b00100) => (SimdIntOp.URshr, right, true),
            (0, 0b00110) => (SimdIntOp.SRsra, right, true),
            (1, 0b00110) => (SimdIntOp.URsra, right, true),
            (1, 0b01000) => (SimdIntOp.Sri, right, true),
            (1, 0b01010) => (SimdIntOp.Sli, left, true),
            (1, 0b01100) => (SimdIntOp.SQshluImm, left, false),
            (0, 0b01110) => (SimdIntOp.SQshlImm, left, false),
            (1, 0b01110) => (SimdIntOp.UQshlImm, left, false),
            _ => null,
        };
        bool ok = entry is { } en && (scalar ? !en.dOnlyScalar || size == 3 : size != 3 || q);
        if (!ok)
        {
            e.Undefined();
            return;
        }
        e.Ir.SetVec((int)rd, LanesImm(e, entry!.Value.op, d, a, entry.Value.shift, size, LaneCount(word, size)));
    }

    /// <summary>Multiply by element, vector and scalar: size[23:22], L[21], M[20], Rm[19:16], opcode[15:12], H[11].</summary>
    public static void ByElement(ArmEmitter e, uint word)
    {
        bool scalar = IsScalar(word), q = F(word, 30, 1) == 1;
        uint u = F(word, 29, 1), opcode = F(word, 12, 4), rd = F(word, 0, 5);
        int size = (int)F(word, 22, 2);
        if (size is not (1 or 2))
        {
            e.Undefined();
            return;
        }
        uint h = F(word, 11, 1), l = F(word, 21, 1), mBit = F(word, 20, 1);
        uint index = size == 1 ? (h << 2) | (l << 1) | mBit : (h << 1) | l;
        uint rm = size == 1 ? F(word, 16, 4) : F(word, 16, 5);
        var d = Vec(e, rd);
        var a = Vec(e, F(word, 5, 5));
        IrInst Element(int elemSize, uint idx) => Call(e, nameof(SimdIntegerHelpers.DupLane), Vec(e, rm), C(e, idx), C(e, (ulong)elemSize));
        SimdIntOp? same = (u, opcode) switch
        {
            (0, 0b1000) when !scalar => SimdIntOp.Mul,
            (1, 0b0000) when !scalar => SimdIntOp.Mla,
            (1, 0b0100) when !scalar => SimdIntOp.Mls,
            (0, 0b1100) => SimdIntOp.SQdmulh,
            (0, 0b1101) => SimdIntOp.SQrdmulh,
            (1, 0b1101) => SimdIntOp.SQrdmlah,
            (1, 0b1111) => SimdIntOp.SQrdmlsh,
            _ => null,
        };
        if (same is { } op)
        {
            e.Ir.SetVec((int)rd, Lanes(e, op, d, a, Element(size, index), size, LaneCount(word, size)));
            return;
        }
        SimdLongOp? wide = (u, opcode) switch
        {
            (0, 0b0010) when !scalar => SimdLongOp.SMlal,
            (1, 0b0010) when !scalar => SimdLongOp.UMlal,
            (0, 0b0110) when !scalar => SimdLongOp.SMlsl,
            (1, 0b0110) when !scalar => SimdLongOp.UMlsl,
            (0, 0b1010) when !scalar => SimdLongOp.SMull,
            (1, 0b1010) when !scalar => SimdLongOp.UMull,
            (0, 0b0011) => SimdLongOp.SQdmlal,
            (0, 0b0111) => SimdLongOp.SQdmlsl,
            (0, 0b1011) => SimdLongOp.SQdmull,
            _ => null,
        };
        if (wide is { } lop)
        {
            e.Ir.SetVec((int)rd, Long(e, lop, d, a, Element(size, index), size, q && !scalar, scalar ? 1 : 8 >> size));
            return;
        }
        if (opcode == 0b1110 && size == 2 && !scalar)
        {
            // SDOT/UDOT (by element): index H:L picks a 32-bit group of four bytes of Vm (Rm is M:Rm).
            e.Ir.SetVec((int)rd, Call(e, nameof(SimdIntegerHelpers.Dot), d, a, Element(2, index), C(e, u ^ 1), C(e, (ulong)LaneCount(word, 2))));
            return;
        }
        e.Undefined();
    }
}
