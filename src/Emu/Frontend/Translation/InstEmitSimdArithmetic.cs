using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>Integer Advanced SIMD: three-same, two-register misc, across lanes, shifts by immediate, permutes, EXT, TBL.</summary>
public static partial class InstEmit
{
    private static void SetVecOrUndefined(ArmEmitter e, uint rd, IrInst? value, bool q)
    {
        if (value == null) e.Undefined();
        else SetVecQ(e, rd, value, q);
    }

    /// <summary>Three registers of the same type: U[29], size[23:22], opcode[15:11].</summary>
    public static void SimdThreeSame(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint u = Bits(word, 29, 1), size = Bits(word, 22, 2), opcode = Bits(word, 11, 5);
        uint rm = Bits(word, 16, 5), rn = Bits(word, 5, 5), rd = Bits(word, 0, 5);
        var n = Vec(e, rn);
        var m = Vec(e, rm);
        var sz = e.Const(size);
        if (opcode == 0b00011)
        {
            // Logical: size selects the operation.
            IrInst r = (u, size) switch
            {
                (0, 0) => Simd(e, nameof(SimdHelpers.And), n, m),
                (0, 1) => Simd(e, nameof(SimdHelpers.Bic), n, m),
                (0, 2) => Simd(e, nameof(SimdHelpers.Orr), n, m),
                (0, _) => Simd(e, nameof(SimdHelpers.Orn), n, m),
                (_, 0) => Simd(e, nameof(SimdHelpers.Eor), n, m),
                (_, 1) => Simd(e, nameof(SimdHelpers.Bsl), Vec(e, rd), n, m),
                (_, 2) => Simd(e, nameof(SimdHelpers.Bit), Vec(e, rd), n, m),
                _ => Simd(e, nameof(SimdHelpers.Bif), Vec(e, rd), n, m),
            };
            SetVecQ(e, rd, r, q);
            return;
        }
        bool pairwise = opcode is 0b10100 or 0b10101 or 0b10111;
        bool minMax = opcode is 0b01100 or 0b01101 or 0b10100 or 0b10101;
        if ((size == 3 && !q) || (size == 3 && minMax))
        {
            e.Undefined();
            return;
        }
        string? helper = (u, opcode) switch
        {
            (0, 0b10000) => nameof(SimdHelpers.Add),
            (1, 0b10000) => nameof(SimdHelpers.Sub),
            (1, 0b10001) => nameof(SimdHelpers.CmEq),
            (0, 0b10001) => nameof(SimdHelpers.CmTst),
            (1, 0b00110) => nameof(SimdHelpers.CmHi),
            (1, 0b00111) => nameof(SimdHelpers.CmHs),
            (0, 0b00110) => nameof(SimdHelpers.CmGt),
            (0, 0b00111) => nameof(SimdHelpers.CmGe),
            (1, 0b01100) => nameof(SimdHelpers.UMax),
            (1, 0b01101) => nameof(SimdHelpers.UMin),
            (0, 0b01100) => nameof(SimdHelpers.SMax),
            (0, 0b01101) => nameof(SimdHelpers.SMin),
            (1, 0b10100) => nameof(SimdHelpers.UMaxP),
            (1, 0b10101) => nameof(SimdHelpers.UMinP),
            (0, 0b10100) => nameof(SimdHelpers.SMaxP),
            (0, 0b10101) => nameof(SimdHelpers.SMinP),
            (0, 0b10111) => nameof(SimdHelpers.AddP),
            _ => null,
        };
        if (helper == null)
        {
            e.Undefined();
            return;
        }
        // Pairwise helpers see Q themselves (the 64-bit form pairs the low halves of both operands).
        SetVecQ(e, rd, pairwise ? Simd(e, helper, n, m, sz, e.Const(q ? 1UL : 0)) : Simd(e, helper, n, m, sz), q);
    }

    /// <summary>Two-register miscellaneous: U[29], size[23:22], opcode[16:12].</summary>
    public static void SimdTwoRegMisc(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint u = Bits(word, 29, 1), size = Bits(word, 22, 2), opcode = Bits(word, 12, 5);
        uint rn = Bits(word, 5, 5), rd = Bits(word, 0, 5);
        var n = Vec(e, rn);
        var sz = e.Const(size);
        IrInst Zero() => Simd(e, nameof(SimdHelpers.FromPair), e.Const(0), e.Const(0));
        bool lanes = !(size == 3 && !q);
        IrInst? r = (u, opcode) switch
        {
            (0, 0b01000) when lanes => Simd(e, nameof(SimdHelpers.CmGt), n, Zero(), sz),
            (1, 0b01000) when lanes => Simd(e, nameof(SimdHelpers.CmGe), n, Zero(), sz),
            (0, 0b01001) when lanes => Simd(e, nameof(SimdHelpers.CmEq), n, Zero(), sz),
            (1, 0b01001) when lanes => Simd(e, nameof(SimdHelpers.CmGe), Zero(), n, sz),
            (0, 0b01010) when lanes => Simd(e, nameof(SimdHelpers.CmGt), Zero(), n, sz),
            (0, 0b01011) when lanes => Simd(e, nameof(SimdHelpers.Abs), n, sz),
            (1, 0b01011) when lanes => Simd(e, nameof(SimdHelpers.Neg), n, sz),
            (0, 0b00000) when size < 3 => Simd(e, nameof(SimdHelpers.Rev), n, sz, e.Const(3)),
            (1, 0b00000) when size < 2 => Simd(e, nameof(SimdHelpers.Rev), n, sz, e.Const(2)),
            (0, 0b00001) when size < 1 => Simd(e, nameof(SimdHelpers.Rev), n, sz, e.Const(1)),
            (0, 0b00101) when size == 0 => Simd(e, nameof(SimdHelpers.Cnt), n),
            (1, 0b00101) when size == 0 => Simd(e, nameof(SimdHelpers.Not), n),
            _ => null,
        };
        if (u == 0 && opcode == 0b10010)
        {
            // XTN/XTN2: Q selects the destination half; the lower half is kept by XTN2.
            if (size == 3)
            {
                e.Undefined();
                return;
            }
            e.Ir.SetVec((int)rd, Simd(e, nameof(SimdHelpers.Xtn), Vec(e, rd), n, sz, e.Const(q ? 1UL : 0)));
            return;
        }
        SetVecOrUndefined(e, rd, r, q);
    }

    /// <summary>Across lanes: ADDV, UMAXV, UMINV, SMAXV, SMINV, UADDLV, SADDLV (result in lane 0, the rest cleared).</summary>
    public static void SimdAcrossLanes(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint u = Bits(word, 29, 1), size = Bits(word, 22, 2), opcode = Bits(word, 12, 5);
        if (size == 3 || (size == 2 && !q))
        {
            e.Undefined();
            return;
        }
        string? helper = (u, opcode) switch
        {
            (0, 0b11011) => nameof(SimdHelpers.AddV),
            (1, 0b01010) => nameof(SimdHelpers.UMaxV),
            (1, 0b11010) => nameof(SimdHelpers.UMinV),
            (0, 0b01010) => nameof(SimdHelpers.SMaxV),
            (0, 0b11010) => nameof(SimdHelpers.SMinV),
            (1, 0b00011) => nameof(SimdHelpers.UAddLV),
            (0, 0b00011) => nameof(SimdHelpers.SAddLV),
            _ => null,
        };
        if (helper == null)
        {
            e.Undefined();
            return;
        }
        var x = Simd(e, helper, Vec(e, Bits(word, 5, 5)), e.Const(size), e.Const(q ? 1UL : 0));
        SetVecScalar(e, Bits(word, 0, 5), x);
    }

    /// <summary>ADDP (scalar): Dd = Vn.D[0] + Vn.D[1].</summary>
    public static void SimdAddPairScalar(ArmEmitter e, uint word)
    {
        var n = Vec(e, Bits(word, 5, 5));
        var sum = e.Ir.Add(Simd(e, nameof(SimdHelpers.Low64), n), Simd(e, nameof(SimdHelpers.High64), n));
        SetVecScalar(e, Bits(word, 0, 5), sum);
    }

    /// <summary>Shift by immediate: immh[22:19] gives the element size, immh:immb the shift; U[29], opcode[15:11].</summary>
    public static void SimdShiftImmediate(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint u = Bits(word, 29, 1), immh = Bits(word, 19, 4), immhb = Bits(word, 16, 7), opcode = Bits(word, 11, 5);
        uint rn = Bits(word, 5, 5), rd = Bits(word, 0, 5);
        if (immh == 0)
        {
            e.Undefined();
            return;
        }
        int size = 31 - System.Numerics.BitOperations.LeadingZeroCount(immh);
        int esize = 8 << size;
        var n = Vec(e, rn);
        var sz = e.Const((ulong)size);
        var qc = e.Const(q ? 1UL : 0);
        bool narrowOrWiden = opcode is 0b10000 or 0b10100;
        if ((narrowOrWiden && size == 3) || (!narrowOrWiden && size == 3 && !q))
        {
            e.Undefined();
            return;
        }
        var rightShift = e.Const((ulong)(2 * esize - (int)immhb));
        var leftShift = e.Const((ulong)((int)immhb - esize));
        switch ((u, opcode))
        {
            case (0, 0b00000):
                SetVecQ(e, rd, Simd(e, nameof(SimdHelpers.SShr), n, rightShift, sz), q);
                break;
            case (1, 0b00000):
                SetVecQ(e, rd, Simd(e, nameof(SimdHelpers.UShr), n, rightShift, sz), q);
                break;
            case (0, 0b00010):
                SetVecQ(e, rd, Simd(e, nameof(SimdHelpers.Add), Vec(e, rd), Simd(e, nameof(SimdHelpers.SShr), n, rightShift, sz), sz), q);
                break;
            case (1, 0b00010):
                SetVecQ(e, rd, Simd(e, nameof(SimdHelpers.Add), Vec(e, rd), Simd(e, nameof(SimdHelpers.UShr), n, rightShift, sz), sz), q);
                break;
            case (0, 0b01010):
                SetVecQ(e, rd, Simd(e, nameof(SimdHelpers.Shl), n, leftShift, sz), q);
                break;
            case (0, 0b10000):
                e.Ir.SetVec((int)rd, Simd(e, nameof(SimdHelpers.Shrn), Vec(e, rd), n, rightShift, sz, qc));
                break;
            case (_, 0b10100):
                e.Ir.SetVec((int)rd, Simd(e, nameof(SimdHelpers.Shll), n, leftShift, sz, qc, e.Const(u ^ 1UL)));
                break;
            default:
                e.Undefined();
                break;
        }
    }

    /// <summary>UZP1/UZP2/TRN1/TRN2/ZIP1/ZIP2: opcode[14:12].</summary>
    public static void SimdPermute(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint size = Bits(word, 22, 2), opcode = Bits(word, 12, 3);
        if (size == 3 && !q)
        {
            e.Undefined();
            return;
        }
        string? helper = (opcode & 3) switch
        {
            1 => nameof(SimdHelpers.Uzp),
            2 => nameof(SimdHelpers.Trn),
            3 => nameof(SimdHelpers.Zip),
            _ => null,
        };
        IrInst? r = helper == null ? null
            : Simd(e, helper, Vec(e, Bits(word, 5, 5)), Vec(e, Bits(word, 16, 5)), e.Const(size), e.Const(q ? 1UL : 0), e.Const(opcode >> 2));
        SetVecOrUndefined(e, Bits(word, 0, 5), r, q);
    }

    /// <summary>EXT: imm4[14:11] is the byte offset (must be below 8 for the 64-bit form).</summary>
    public static void SimdExt(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint imm4 = Bits(word, 11, 4);
        if (!q && imm4 >= 8)
        {
            e.Undefined();
            return;
        }
        var r = Simd(e, nameof(SimdHelpers.Ext), Vec(e, Bits(word, 5, 5)), Vec(e, Bits(word, 16, 5)), e.Const(imm4), e.Const(q ? 1UL : 0));
        SetVecQ(e, Bits(word, 0, 5), r, q);
    }

    /// <summary>TBL/TBX with a table of len[14:13]+1 consecutive registers (wrapping at V31); op[12] = TBX.</summary>
    public static void SimdTableLookup(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint count = Bits(word, 13, 2) + 1, rn = Bits(word, 5, 5), rd = Bits(word, 0, 5);
        var t = new IrInst[4];
        for (uint i = 0; i < 4; i++) t[i] = Vec(e, (rn + Math.Min(i, count - 1)) % 32);
        var r = Simd(e, nameof(SimdHelpers.Tbl), Vec(e, rd), t[0], t[1], t[2], t[3], Vec(e, Bits(word, 16, 5)),
            e.Const(count), e.Const(Bits(word, 12, 1)), e.Const(q ? 1UL : 0));
        e.Ir.SetVec((int)rd, r);
    }
    /// <summary>Three different, widening add/subtract: U[29] signedness, opcode[15:12] 0000 ADDL, 0001 ADDW, 0010 SUBL, 0011 SUBW; Q selects the "2" forms.</summary>
    public static void SimdAddSubLong(ArmEmitter e, uint word)
    {
        uint size = Bits(word, 22, 2), opcode = Bits(word, 12, 4);
        if (size == 3 || opcode > 3)
        {
            e.Undefined();
            return;
        }
        var r = Simd(e, nameof(SimdHelpers.AddSubLong), Vec(e, Bits(word, 5, 5)), Vec(e, Bits(word, 16, 5)), e.Const(size),
            e.Const(Bits(word, 30, 1)), e.Const(Bits(word, 29, 1) ^ 1u), e.Const(opcode & 1), e.Const(opcode >> 1));
        e.Ir.SetVec((int)Bits(word, 0, 5), r);
    }

    /// <summary>Scalar (D register) ADD/SUB/CMEQ/CMTST/CMHI/CMHS/CMGT/CMGE: the vector operation on lane 0 only.</summary>
    public static void SimdScalarThreeSame(ArmEmitter e, uint word)
    {
        uint u = Bits(word, 29, 1), opcode = Bits(word, 11, 5);
        string? helper = Bits(word, 22, 2) != 3 ? null : (u, opcode) switch
        {
            (0, 0b10000) => nameof(SimdHelpers.Add),
            (1, 0b10000) => nameof(SimdHelpers.Sub),
            (1, 0b10001) => nameof(SimdHelpers.CmEq),
            (0, 0b10001) => nameof(SimdHelpers.CmTst),
            (1, 0b00110) => nameof(SimdHelpers.CmHi),
            (1, 0b00111) => nameof(SimdHelpers.CmHs),
            (0, 0b00110) => nameof(SimdHelpers.CmGt),
            (0, 0b00111) => nameof(SimdHelpers.CmGe),
            _ => null,
        };
        if (helper == null)
        {
            e.Undefined();
            return;
        }
        SetVecQ(e, Bits(word, 0, 5), Simd(e, helper, Vec(e, Bits(word, 5, 5)), Vec(e, Bits(word, 16, 5)), e.Const(3)), false);
    }

    /// <summary>Scalar (D register) compares with zero, ABS and NEG.</summary>
    public static void SimdScalarTwoRegMisc(ArmEmitter e, uint word)
    {
        uint u = Bits(word, 29, 1), opcode = Bits(word, 12, 5);
        var n = Vec(e, Bits(word, 5, 5));
        var sz = e.Const(3);
        IrInst Zero() => Simd(e, nameof(SimdHelpers.FromPair), e.Const(0), e.Const(0));
        IrInst? r = Bits(word, 22, 2) != 3 ? null : (u, opcode) switch
        {
            (0, 0b01000) => Simd(e, nameof(SimdHelpers.CmGt), n, Zero(), sz),
            (1, 0b01000) => Simd(e, nameof(SimdHelpers.CmGe), n, Zero(), sz),
            (0, 0b01001) => Simd(e, nameof(SimdHelpers.CmEq), n, Zero(), sz),
            (1, 0b01001) => Simd(e, nameof(SimdHelpers.CmGe), Zero(), n, sz),
            (0, 0b01010) => Simd(e, nameof(SimdHelpers.CmGt), Zero(), n, sz),
            (0, 0b01011) => Simd(e, nameof(SimdHelpers.Abs), n, sz),
            (1, 0b01011) => Simd(e, nameof(SimdHelpers.Neg), n, sz),
            _ => null,
        };
        SetVecOrUndefined(e, Bits(word, 0, 5), r, false);
    }

    /// <summary>Scalar (D register) SSHR/USHR/SSRA/USRA/SHL by immediate: immh must be 1xxx.</summary>
    public static void SimdScalarShiftImmediate(ArmEmitter e, uint word)
    {
        uint u = Bits(word, 29, 1), immhb = Bits(word, 16, 7), opcode = Bits(word, 11, 5), rd = Bits(word, 0, 5);
        if (Bits(word, 22, 1) == 0)
        {
            e.Undefined();
            return;
        }
        var n = Vec(e, Bits(word, 5, 5));
        var sz = e.Const(3);
        var right = e.Const(128 - (ulong)immhb);
        IrInst? r = (u, opcode) switch
        {
            (0, 0b00000) => Simd(e, nameof(SimdHelpers.SShr), n, right, sz),
            (1, 0b00000) => Simd(e, nameof(SimdHelpers.UShr), n, right, sz),
            (0, 0b00010) => Simd(e, nameof(SimdHelpers.Add), Vec(e, rd), Simd(e, nameof(SimdHelpers.SShr), n, right, sz), sz),
            (1, 0b00010) => Simd(e, nameof(SimdHelpers.Add), Vec(e, rd), Simd(e, nameof(SimdHelpers.UShr), n, right, sz), sz),
            (0, 0b01010) => Simd(e, nameof(SimdHelpers.Shl), n, e.Const((ulong)immhb - 64), sz),
            _ => null,
        };
        SetVecOrUndefined(e, rd, r, false);
    }
    /// <summary>Three different, widening multiply: opcode[15:12] 1000 MLAL, 1010 MLSL, 1100 MULL; U[29] unsigned; Q selects the "2" forms.</summary>
    public static void SimdMulLong(ArmEmitter e, uint word)
    {
        uint size = Bits(word, 22, 2), opcode = Bits(word, 12, 4);
        ulong accumulate = opcode switch { 0b1000 => 1, 0b1010 => 2, _ => 0 };
        if (size == 3)
        {
            e.Undefined();
            return;
        }
        uint rd = Bits(word, 0, 5);
        var r = Simd(e, nameof(SimdHelpers.MulLong), Vec(e, rd), Vec(e, Bits(word, 5, 5)), Vec(e, Bits(word, 16, 5)), e.Const(size),
            e.Const(Bits(word, 30, 1)), e.Const(Bits(word, 29, 1) ^ 1u), e.Const(accumulate));
        e.Ir.SetVec((int)rd, r);
    }

    /// <summary>SHLL/SHLL2: widen the lanes of the lower or upper half and shift left by the element size.</summary>
    public static void SimdShiftLeftLong(ArmEmitter e, uint word)
    {
        uint size = Bits(word, 22, 2);
        if (size == 3)
        {
            e.Undefined();
            return;
        }
        var r = Simd(e, nameof(SimdHelpers.Shll), Vec(e, Bits(word, 5, 5)), e.Const(8UL << (int)size), e.Const(size), e.Const(Bits(word, 30, 1)), e.Const(0));
        e.Ir.SetVec((int)Bits(word, 0, 5), r);
    }
}
