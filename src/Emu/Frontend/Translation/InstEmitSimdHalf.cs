using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// AdvSIMD half precision (FEAT_FP16), the FP16 multiply-accumulate-long instructions (FEAT_FHM) and BFloat16
/// (FEAT_BF16). The FP16 forms decode to the same lane operations as the single/double ones in
/// <see cref="InstEmitSimdFloat"/> with 16-bit lanes, which take the exact ArmFloat path lane by lane.
/// </summary>
public static class InstEmitSimdHalf
{
    private static uint F(uint word, int lo, int len) => (word >> lo) & ((1u << len) - 1);

    private static bool IsScalar(uint word) => F(word, 28, 1) == 1;

    private static IrInst Vec(ArmEmitter e, uint r) => e.Ir.GetVec((int)r);

    private static IrInst C(ArmEmitter e, ulong v) => e.Const(v);

    /// <summary>Half lanes: 1 for the scalar forms, else 4 (Q=0) or 8 (Q=1).</summary>
    private static (int esize, int lanes) Shape(uint word) =>
        (16, IsScalar(word) ? 1 : F(word, 30, 1) == 1 ? 8 : 4);

    /// <summary>Rm's element index H:L:M and the 4-bit Rm of the by-element forms with 16-bit elements.</summary>
    private static IrInst HalfElement(ArmEmitter e, uint word)
    {
        ulong index = (F(word, 11, 1) << 2) | (F(word, 21, 1) << 1) | F(word, 20, 1);
        return e.Ir.Call(typeof(SimdFloatHelpers), nameof(SimdFloatHelpers.DupLane), Vec(e, F(word, 16, 4)), C(e, 16), C(e, index));
    }

    /// <summary>Three same (FP16), vector and scalar: U[29], a[23], opcode[13:11].</summary>
    public static void ThreeSame(ArmEmitter e, uint word)
    {
        var op = InstEmitSimdFloat.ThreeSameOp(F(word, 29, 1), F(word, 23, 1), 0b11000 | F(word, 11, 3));
        if (op is null || (IsScalar(word) && !InstEmitSimdFloat.ThreeSameHasScalar(op.Value)))
        {
            e.Undefined();
            return;
        }
        InstEmitSimdFloat.Binary(e, word, op.Value, Vec(e, F(word, 16, 5)), Shape(word));
    }

    /// <summary>Two-register misc (FP16), vector and scalar: the single/double opcodes with half lanes.</summary>
    public static void TwoRegMisc(ArmEmitter e, uint word)
    {
        bool scalar = IsScalar(word);
        var entry = InstEmitSimdFloat.TwoRegMiscEntry(F(word, 29, 1), F(word, 23, 1), F(word, 12, 5));
        if (entry is not { } en || (scalar && !en.scalarOk) || (!scalar && en.op == SimdFpUnary.Recpx))
        {
            e.Undefined();
            return;
        }
        InstEmitSimdFloat.Unary(e, word, en.op, Shape(word), en.param);
    }

    private static SimdFpOp? MaxMinOp(uint a, uint opcode) => (a, opcode) switch
    {
        (0, 0b01100) => SimdFpOp.MaxNm,
        (0, 0b01111) => SimdFpOp.Max,
        (1, 0b01100) => SimdFpOp.MinNm,
        (1, 0b01111) => SimdFpOp.Min,
        _ => null,
    };

    /// <summary>FMAXNMV/FMINNMV/FMAXV/FMINV .4H/.8H.</summary>
    public static void AcrossLanes(ArmEmitter e, uint word)
    {
        var op = MaxMinOp(F(word, 23, 1), F(word, 12, 5));
        if (op is null)
        {
            e.Undefined();
            return;
        }
        var (esize, lanes) = Shape(word);
        e.Ir.SetVec((int)F(word, 0, 5), e.Ir.Call(typeof(SimdFloatHelpers), nameof(SimdFloatHelpers.Reduce), Vec(e, F(word, 5, 5)),
            C(e, (ulong)op.Value), C(e, (ulong)esize), C(e, (ulong)lanes)));
    }

    /// <summary>Scalar pairwise FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP on the two low half lanes.</summary>
    public static void ScalarPairwise(ArmEmitter e, uint word)
    {
        uint a = F(word, 23, 1), opcode = F(word, 12, 5);
        var op = (a, opcode) == (0, 0b01101) ? SimdFpOp.AddP : MaxMinOp(a, opcode);
        if (op is null)
        {
            e.Undefined();
            return;
        }
        e.Ir.SetVec((int)F(word, 0, 5), e.Ir.Call(typeof(SimdFloatHelpers), nameof(SimdFloatHelpers.Reduce), Vec(e, F(word, 5, 5)),
            C(e, (ulong)op.Value), C(e, 16), C(e, 2)));
    }

    /// <summary>By element FMLA/FMLS/FMUL/FMULX with half lanes (vector and scalar).</summary>
    public static void ByElement(ArmEmitter e, uint word)
    {
        SimdFpOp? op = (F(word, 29, 1), F(word, 12, 4)) switch
        {
            (0, 0b0001) => SimdFpOp.Mla,
            (0, 0b0101) => SimdFpOp.Mls,
            (0, 0b1001) => SimdFpOp.Mul,
            (1, 0b1001) => SimdFpOp.MulX,
            _ => null,
        };
        if (op is null)
        {
            e.Undefined();
            return;
        }
        InstEmitSimdFloat.Binary(e, word, op.Value, HalfElement(e, word), Shape(word));
    }

    /// <summary>FMOV (vector, immediate) half: VFPExpandImm of imm8 = a:b:c:d:e:f:g:h in every lane.</summary>
    public static void MoveImmediate(ArmEmitter e, uint word)
    {
        ulong imm8 = (F(word, 16, 3) << 5) | F(word, 5, 5);
        ulong b = (imm8 >> 6) & 1;
        ulong half = ((imm8 >> 7) << 15) | ((b ^ 1) << 14) | ((b * 3) << 12) | ((imm8 & 0x3F) << 6);
        ulong pattern = half * 0x0001_0001_0001_0001UL;
        bool q = F(word, 30, 1) == 1;
        e.Ir.SetVec((int)F(word, 0, 5), e.Ir.Call(typeof(SimdHelpers), nameof(SimdHelpers.FromPair), C(e, pattern), C(e, q ? pattern : 0)));
    }

    /// <summary>FMLAL/FMLSL (vector and by element) and the "2" forms on the upper half lanes: half products accumulated into singles.</summary>
    public static void MulAddLong(ArmEmitter e, uint word)
    {
        bool byElement = F(word, 24, 1) == 1;
        bool q = F(word, 30, 1) == 1;
        bool upper, subtract;
        if (byElement)
        {
            uint opcode = F(word, 12, 4); // 0000 FMLAL, 0100 FMLSL, 1000 FMLAL2, 1100 FMLSL2
            upper = (opcode & 0b1000) != 0;
            subtract = (opcode & 0b0100) != 0;
        }
        else
        {
            upper = F(word, 29, 1) == 1;
            subtract = F(word, 23, 1) == 1;
        }
        var m = byElement ? HalfElement(e, word) : Vec(e, F(word, 16, 5));
        uint rd = F(word, 0, 5);
        e.Ir.SetVec((int)rd, e.Ir.Call(typeof(SimdHalfHelpers), nameof(SimdHalfHelpers.MulAddLong), Vec(e, rd), Vec(e, F(word, 5, 5)), m,
            C(e, q ? 4UL : 2UL), C(e, upper ? 1UL : 0), C(e, subtract ? 1UL : 0)));
    }

    // ---- BFloat16 ----

    /// <summary>BFCVT (scalar): single to BFloat16.</summary>
    public static void Bf16ConvertScalar(ArmEmitter e, uint word) =>
        e.Ir.SetVec((int)F(word, 0, 5), e.Ir.Call(typeof(SimdHalfHelpers), nameof(SimdHalfHelpers.ConvertToBf16Scalar), Vec(e, F(word, 5, 5))));

    /// <summary>BFCVTN/BFCVTN2: four singles to BFloat16 into the low (Q=0) or high (Q=1) half of Rd.</summary>
    public static void Bf16ConvertNarrow(ArmEmitter e, uint word)
    {
        uint rd = F(word, 0, 5);
        e.Ir.SetVec((int)rd, e.Ir.Call(typeof(SimdHalfHelpers), nameof(SimdHalfHelpers.ConvertToBf16Narrow), Vec(e, rd), Vec(e, F(word, 5, 5)),
            C(e, F(word, 30, 1))));
    }

    /// <summary>BFDOT (vector and by element: the 32-bit pair H:L of the 5-bit Rm).</summary>
    public static void Bf16Dot(ArmEmitter e, uint word)
    {
        bool byElement = F(word, 24, 1) == 1;
        var m = Vec(e, F(word, 16, 5));
        if (byElement)
        {
            ulong index = (F(word, 11, 1) << 1) | F(word, 21, 1);
            m = e.Ir.Call(typeof(SimdFloatHelpers), nameof(SimdFloatHelpers.DupLane), m, C(e, 32), C(e, index));
        }
        uint rd = F(word, 0, 5);
        e.Ir.SetVec((int)rd, e.Ir.Call(typeof(SimdHalfHelpers), nameof(SimdHalfHelpers.BfDot), Vec(e, rd), Vec(e, F(word, 5, 5)), m,
            C(e, F(word, 30, 1) == 1 ? 4UL : 2UL)));
    }

    /// <summary>BFMMLA: 2x4 by 4x2 BFloat16 matrix multiply accumulating into 2x2 singles.</summary>
    public static void Bf16MatMul(ArmEmitter e, uint word)
    {
        uint rd = F(word, 0, 5);
        e.Ir.SetVec((int)rd, e.Ir.Call(typeof(SimdHalfHelpers), nameof(SimdHalfHelpers.BfMatMulAdd), Vec(e, rd), Vec(e, F(word, 5, 5)),
            Vec(e, F(word, 16, 5))));
    }

    /// <summary>BFMLALB/BFMLALT (vector and by element H:L:M of the 4-bit Rm); Q selects the odd (top) lanes.</summary>
    public static void Bf16MulAddLong(ArmEmitter e, uint word)
    {
        bool byElement = F(word, 24, 1) == 1;
        var m = byElement ? HalfElement(e, word) : Vec(e, F(word, 16, 5));
        uint rd = F(word, 0, 5);
        e.Ir.SetVec((int)rd, e.Ir.Call(typeof(SimdHalfHelpers), nameof(SimdHalfHelpers.BfMulAddLong), Vec(e, rd), Vec(e, F(word, 5, 5)), m,
            C(e, F(word, 30, 1))));
    }
}
