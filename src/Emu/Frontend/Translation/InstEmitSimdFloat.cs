using System.Runtime.Intrinsics.X86;
using Emu.FloatingPoint;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// AdvSIMD floating point, single and double lanes (the FP16 forms are in <see cref="InstEmitSimdHalf"/>).
/// Bit 28 distinguishes the scalar encodings (1) from the vector ones (0); helpers zero the inactive lanes.
/// </summary>
public static class InstEmitSimdFloat
{
    private static uint F(uint word, int lo, int len) => (word >> lo) & ((1u << len) - 1);

    private static bool IsScalar(uint word) => F(word, 28, 1) == 1;

    private static IrInst Vec(ArmEmitter e, uint r) => e.Ir.GetVec((int)r);

    private static IrInst C(ArmEmitter e, ulong v) => e.Const(v);

    private static IrInst Call(ArmEmitter e, string helper, params IrInst[] args) => e.Ir.Call(typeof(SimdFloatHelpers), helper, args);

    /// <summary>Element size from sz (bit 22) and active lanes; null for the reserved 1D vector form.</summary>
    private static (int esize, int lanes)? Shape(uint word)
    {
        int esize = F(word, 22, 1) == 1 ? 64 : 32;
        if (IsScalar(word)) return (esize, 1);
        bool q = F(word, 30, 1) == 1;
        if (esize == 64 && !q) return null;
        return (esize, (q ? 128 : 64) / esize);
    }

    internal static void Binary(ArmEmitter e, uint word, SimdFpOp op, IrInst b, (int esize, int lanes) shape)
    {
        uint rd = F(word, 0, 5);
        string? fast = op switch
        {
            SimdFpOp.Add => "FAdd",
            SimdFpOp.Sub => "FSub",
            SimdFpOp.Mul => "FMul",
            SimdFpOp.Div => "FDiv",
            SimdFpOp.Mla when Fma.IsSupported => "FMla",
            SimdFpOp.Mls when Fma.IsSupported => "FMls",
            _ => null,
        };
        if (fast is not null && shape.lanes > 1 && shape.esize != 16)
        {
            e.Ir.SetVec((int)rd, Call(e, fast + shape.esize, Vec(e, rd), Vec(e, F(word, 5, 5)), b, C(e, (ulong)shape.lanes)));
            return;
        }
        e.Ir.SetVec((int)rd, Call(e, nameof(SimdFloatHelpers.Binary), Vec(e, rd), Vec(e, F(word, 5, 5)), b,
            C(e, (ulong)op), C(e, (ulong)shape.esize), C(e, (ulong)shape.lanes)));
    }

    /// <summary>Three same (single/double): U[29], a[23], opcode[15:11]; scalar forms exist for a subset.</summary>
    public static void ThreeSame(ArmEmitter e, uint word)
    {
        uint u = F(word, 29, 1), a = F(word, 23, 1), opcode = F(word, 11, 5);
        var op = ThreeSameOp(u, a, opcode);
        var shape = Shape(word);
        if (op is null || shape is null || (IsScalar(word) && !ThreeSameHasScalar(op.Value)))
        {
            e.Undefined();
            return;
        }
        Binary(e, word, op.Value, Vec(e, F(word, 16, 5)), shape.Value);
    }

    /// <summary>The three-same FP op for U, a and the 5-bit opcode (the FP16 forms use 0b11 plus their 3-bit opcode).</summary>
    internal static SimdFpOp? ThreeSameOp(uint u, uint a, uint opcode) =>
        (u, a, opcode) switch
        {
            (0, 0, 0b11000) => SimdFpOp.MaxNm,
            (0, 0, 0b11001) => SimdFpOp.Mla,
            (0, 0, 0b11010) => SimdFpOp.Add,
            (0, 0, 0b11011) => SimdFpOp.MulX,
            (0, 0, 0b11100) => SimdFpOp.CmEq,
            (0, 0, 0b11110) => SimdFpOp.Max,
            (0, 0, 0b11111) => SimdFpOp.RecpS,
            (0, 1, 0b11000) => SimdFpOp.MinNm,
            (0, 1, 0b11001) => SimdFpOp.Mls,
            (0, 1, 0b11010) => SimdFpOp.Sub,
            (0, 1, 0b11110) => SimdFpOp.Min,
            (0, 1, 0b11111) => SimdFpOp.RsqrtS,
            (1, 0, 0b11000) => SimdFpOp.MaxNmP,
            (1, 0, 0b11010) => SimdFpOp.AddP,
            (1, 0, 0b11011) => SimdFpOp.Mul,
            (1, 0, 0b11100) => SimdFpOp.CmGe,
            (1, 0, 0b11101) => SimdFpOp.AcGe,
            (1, 0, 0b11110) => SimdFpOp.MaxP,
            (1, 0, 0b11111) => SimdFpOp.Div,
            (1, 1, 0b11000) => SimdFpOp.MinNmP,
            (1, 1, 0b11010) => SimdFpOp.Abd,
            (1, 1, 0b11100) => SimdFpOp.CmGt,
            (1, 1, 0b11101) => SimdFpOp.AcGt,
            (1, 1, 0b11110) => SimdFpOp.MinP,
            _ => null,
        };

    internal static bool ThreeSameHasScalar(SimdFpOp op) =>
        op is SimdFpOp.MulX or SimdFpOp.CmEq or SimdFpOp.RecpS or SimdFpOp.RsqrtS or SimdFpOp.CmGe
            or SimdFpOp.AcGe or SimdFpOp.Abd or SimdFpOp.CmGt or SimdFpOp.AcGt;

    /// <summary>By element FMLA/FMLS/FMUL/FMULX (vector and scalar): the indexed element of Rm in every lane.</summary>
    public static void ByElement(ArmEmitter e, uint word)
    {
        uint u = F(word, 29, 1), opcode = F(word, 12, 4), sz = F(word, 22, 1), l = F(word, 21, 1), h = F(word, 11, 1);
        SimdFpOp? op = (u, opcode) switch
        {
            (0, 0b0001) => SimdFpOp.Mla,
            (0, 0b0101) => SimdFpOp.Mls,
            (0, 0b1001) => SimdFpOp.Mul,
            (1, 0b1001) => SimdFpOp.MulX,
            _ => null,
        };
        var shape = Shape(word);
        if (op is null || shape is null || (sz == 1 && l == 1))
        {
            e.Undefined();
            return;
        }
        ulong index = sz == 1 ? h : (h << 1) | l;
        uint rm = F(word, 16, 5); // M:Rm
        var b = Call(e, nameof(SimdFloatHelpers.DupLane), Vec(e, rm), C(e, (ulong)shape.Value.esize), C(e, index));
        Binary(e, word, op.Value, b, shape.Value);
    }

    /// <summary>Scalar pairwise FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP: the two lanes of Rn (sz picks S or D).</summary>
    public static void ScalarPairwise(ArmEmitter e, uint word)
    {
        uint a = F(word, 23, 1), opcode = F(word, 12, 5);
        SimdFpOp? op = (a, opcode) switch
        {
            (0, 0b01100) => SimdFpOp.MaxNmP,
            (0, 0b01101) => SimdFpOp.AddP,
            (0, 0b01111) => SimdFpOp.MaxP,
            (1, 0b01100) => SimdFpOp.MinNmP,
            (1, 0b01111) => SimdFpOp.MinP,
            _ => null,
        };
        if (op is null)
        {
            e.Undefined();
            return;
        }
        int esize = F(word, 22, 1) == 1 ? 64 : 32;
        uint rd = F(word, 0, 5);
        // A reduction over two lanes is exactly op(lane 0, lane 1), with the rest zeroed.
        e.Ir.SetVec((int)rd, Call(e, nameof(SimdFloatHelpers.Reduce), Vec(e, F(word, 5, 5)), C(e, (ulong)op.Value), C(e, (ulong)esize), C(e, 2)));
    }

    /// <summary>Across lanes FMAXNMV/FMINNMV/FMAXV/FMINV (4S only without FP16).</summary>
    public static void AcrossLanes(ArmEmitter e, uint word)
    {
        uint a = F(word, 23, 1), opcode = F(word, 12, 5);
        bool q = F(word, 30, 1) == 1;
        SimdFpOp? op = (a, opcode) switch
        {
            (0, 0b01100) => SimdFpOp.MaxNm,
            (0, 0b01111) => SimdFpOp.Max,
            (1, 0b01100) => SimdFpOp.MinNm,
            (1, 0b01111) => SimdFpOp.Min,
            _ => null,
        };
        if (op is null || !q || F(word, 22, 1) == 1)
        {
            e.Undefined();
            return;
        }
        uint rd = F(word, 0, 5);
        e.Ir.SetVec((int)rd, Call(e, nameof(SimdFloatHelpers.Reduce), Vec(e, F(word, 5, 5)), C(e, (ulong)op.Value), C(e, 32), C(e, 4)));
    }

    internal static void Unary(ArmEmitter e, uint word, SimdFpUnary op, (int esize, int lanes) shape, ulong param)
    {
        uint rd = F(word, 0, 5);
        e.Ir.SetVec((int)rd, Call(e, nameof(SimdFloatHelpers.Unary), Vec(e, F(word, 5, 5)), C(e, (ulong)op),
            C(e, (ulong)shape.esize), C(e, (ulong)shape.lanes), C(e, param)));
    }

    internal const ulong FromFpcr = 8, UnsignedBit = 0x10, ExactBit = 0x10000;

    /// <summary>Two-register misc (single/double): U[29], a[23], opcode[16:12]; vector and scalar forms.</summary>
    public static void TwoRegMisc(ArmEmitter e, uint word)
    {
        uint u = F(word, 29, 1), a = F(word, 23, 1), opcode = F(word, 12, 5);
        bool scalar = IsScalar(word);
        var entry = TwoRegMiscEntry(u, a, opcode);
        var shape = Shape(word);
        bool recpxOk = entry is not { op: SimdFpUnary.Recpx } || scalar;
        if (entry is not { } en || shape is null || (scalar && !en.scalarOk) || !recpxOk)
        {
            e.Undefined();
            return;
        }
        Unary(e, word, en.op, shape.Value, en.param);
    }

    /// <summary>Two-register misc: (op, param for <see cref="SimdFloatHelpers.Unary"/>, scalar form exists) by U, a, opcode.</summary>
    internal static (SimdFpUnary op, ulong param, bool scalarOk)? TwoRegMiscEntry(uint u, uint a, uint opcode)
    {
        ulong tn = (ulong)FpRounding.TieEven, tp = (ulong)FpRounding.PosInf, tm = (ulong)FpRounding.NegInf, tz = (ulong)FpRounding.Zero, ta = (ulong)FpRounding.TieAway;
        ulong us = u == 1 ? UnsignedBit : 0;
        return (u, a, opcode) switch
        {
            (_, 0, 0b11010) => (SimdFpUnary.ToInt, tn | us, true),
            (_, 0, 0b11011) => (SimdFpUnary.ToInt, tm | us, true),
            (_, 0, 0b11100) => (SimdFpUnary.ToInt, ta | us, true),
            (_, 1, 0b11010) => (SimdFpUnary.ToInt, tp | us, true),
            (_, 1, 0b11011) => (SimdFpUnary.ToInt, tz | us, true),
            (_, 0, 0b11101) => (SimdFpUnary.FromInt, us, true),
            (0, 0, 0b11000) => (SimdFpUnary.Round, tn, false),
            (0, 0, 0b11001) => (SimdFpUnary.Round, tm, false),
            (0, 1, 0b11000) => (SimdFpUnary.Round, tp, false),
            (0, 1, 0b11001) => (SimdFpUnary.Round, tz, false),
            (1, 0, 0b11000) => (SimdFpUnary.Round, ta, false),
            (1, 0, 0b11001) => (SimdFpUnary.Round, FromFpcr | ExactBit, false),
            (1, 1, 0b11001) => (SimdFpUnary.Round, FromFpcr, false),
            (0, 1, 0b01100) => (SimdFpUnary.CmGtZ, 0, true),
            (0, 1, 0b01101) => (SimdFpUnary.CmEqZ, 0, true),
            (0, 1, 0b01110) => (SimdFpUnary.CmLtZ, 0, true),
            (1, 1, 0b01100) => (SimdFpUnary.CmGeZ, 0, true),
            (1, 1, 0b01101) => (SimdFpUnary.CmLeZ, 0, true),
            (0, 1, 0b01111) => (SimdFpUnary.Abs, 0, false),
            (1, 1, 0b01111) => (SimdFpUnary.Neg, 0, false),
            (1, 1, 0b11111) => (SimdFpUnary.Sqrt, 0, false),
            (0, 1, 0b11101) => (SimdFpUnary.Recpe, 0, true),
            (1, 1, 0b11101) => (SimdFpUnary.Rsqrte, 0, true),
            (0, 1, 0b11111) => (SimdFpUnary.Recpx, 0, true),
            _ => null,
        };
    }

    /// <summary>FRINT32Z/FRINT32X/FRINT64Z/FRINT64X (vector, single/double): U picks FPCR rounding (X) over toward zero (Z).</summary>
    public static void RoundToIntN(ArmEmitter e, uint word)
    {
        var shape = Shape(word);
        if (shape is null)
        {
            e.Undefined();
            return;
        }
        var op = F(word, 12, 1) == 1 ? SimdFpUnary.RoundInt64 : SimdFpUnary.RoundInt32;
        Unary(e, word, op, shape.Value, F(word, 29, 1) == 1 ? FromFpcr : (ulong)FpRounding.Zero);
    }

    /// <summary>FCVTN/FCVTN2, FCVTL/FCVTL2, FCVTXN/FCVTXN2 (vector) and FCVTXN (scalar).</summary>
    public static void ConvertPrecision(ArmEmitter e, uint word)
    {
        uint u = F(word, 29, 1), opcode = F(word, 12, 5), sz = F(word, 22, 1), rd = F(word, 0, 5);
        bool upper = F(word, 30, 1) == 1;
        var n = Vec(e, F(word, 5, 5));
        if (IsScalar(word))
        {
            if (u != 1 || opcode != 0b10110 || sz != 1)
            {
                e.Undefined();
                return;
            }
            e.Ir.SetVec((int)rd, Call(e, nameof(SimdFloatHelpers.ConvertOddScalar), n));
            return;
        }
        bool odd = u == 1;
        if (odd && (opcode != 0b10110 || sz != 1))
        {
            e.Undefined();
            return;
        }
        int wide = sz == 1 ? 64 : 32, narrow = sz == 1 ? 32 : 16;
        bool narrowing = opcode == 0b10110;
        e.Ir.SetVec((int)rd, Call(e, nameof(SimdFloatHelpers.ConvertLanes), Vec(e, rd), n,
            C(e, (ulong)(narrowing ? wide : narrow)), C(e, (ulong)(narrowing ? narrow : wide)), C(e, upper ? 1UL : 0), C(e, odd ? 1UL : 0)));
    }

    /// <summary>SCVTF/UCVTF/FCVTZS/FCVTZU fixed-point by shift-immediate encoding (immh:immb gives fbits), vector and scalar.</summary>
    public static void FixedPoint(ArmEmitter e, uint word) => FixedPoint(e, word, half: false);

    /// <summary>The half-precision forms of <see cref="FixedPoint(ArmEmitter, uint)"/> (immh = 001x), FEAT_FP16.</summary>
    public static void FixedPointHalf(ArmEmitter e, uint word) => FixedPoint(e, word, half: true);

    private static void FixedPoint(ArmEmitter e, uint word, bool half)
    {
        uint u = F(word, 29, 1), immh = F(word, 19, 4), immhb = F(word, 16, 7), opcode = F(word, 11, 5);
        int esize;
        if ((immh & 0b1000) != 0) esize = 64;
        else if ((immh & 0b0100) != 0) esize = 32;
        else if ((immh & 0b0010) != 0 && half) esize = 16;
        else
        {
            e.Undefined();
            return;
        }
        bool scalar = IsScalar(word), q = F(word, 30, 1) == 1;
        if (!scalar && esize == 64 && !q)
        {
            e.Undefined();
            return;
        }
        int fbits = 2 * esize - (int)immhb;
        ulong param = (u == 1 ? UnsignedBit : 0) | ((ulong)fbits << 8);
        var shape = (esize, scalar ? 1 : (q ? 128 : 64) / esize);
        if (opcode == 0b11100) Unary(e, word, SimdFpUnary.FromInt, shape, param);
        else Unary(e, word, SimdFpUnary.ToInt, shape, param | (ulong)FpRounding.Zero);
    }
}
