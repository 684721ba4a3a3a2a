using Emu.FloatingPoint;
using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>
/// Scalar FP: data processing (1/2/3 sources), compares, conditional select, conversions and the
/// scalar reciprocal estimate/step instructions. Operands travel as bit patterns in the low lane of
/// the V register; the arithmetic is in <see cref="ArmFloat"/> through <see cref="FpScalarHelpers"/>.
/// </summary>
public static class InstEmitFloatingPoint
{
    private static uint Bits(uint word, int lo, int len) => (word >> lo) & ((1u << len) - 1);

    /// <summary>Operand width for the ftype field (bits 23:22): 0 single, 1 double, 3 half; 2 is reserved (0).</summary>
    private static int FpTypeWidth(uint word) => Bits(word, 22, 2) switch { 0 => 32, 1 => 64, 3 => 16, _ => 0 };

    /// <summary>The low 64 bits of Vn (the FP operand is in its low 16/32/64 bits).</summary>
    private static IrInst FpOperand(ArmEmitter e, uint r) => e.Ir.Call(typeof(SimdHelpers), nameof(SimdHelpers.Low64), e.Ir.GetVec((int)r));

    /// <summary>Writes an FP scalar result (already zero-extended to 64 bits): the rest of the vector is cleared.</summary>
    private static void FpSetResult(ArmEmitter e, uint rd, IrInst bits) =>
        e.Ir.SetVec((int)rd, e.Ir.Call(typeof(SimdHelpers), nameof(SimdHelpers.FromScalar), bits));

    private static IrInst FpCall(ArmEmitter e, string helper, params IrInst[] args) => e.Ir.Call(typeof(FpScalarHelpers), helper, args);

    private static IrInst FastCall(ArmEmitter e, string helper, params IrInst[] args) => e.Ir.Call(typeof(FpScalarFast), helper, args);

    /// <summary>FABS, FNEG, FSQRT, FCVT, FRINT*: opcode in bits 20:15.</summary>
    public static void FpDataProcessing1(ArmEmitter e, uint word)
    {
        int n = FpTypeWidth(word);
        uint opcode = Bits(word, 15, 6), rn = Rn(word), rd = Rd(word);
        if (n == 0)
        {
            e.Undefined();
            return;
        }
        var a = FpOperand(e, rn);
        var width = e.Const((ulong)n);
        IrInst result;
        switch (opcode)
        {
            case 0b000001: result = FpCall(e, nameof(FpScalarHelpers.FAbs), a, width); break;
            case 0b000010: result = FpCall(e, nameof(FpScalarHelpers.FNeg), a, width); break;
            case 0b000011:
                result = n == 16 ? FpCall(e, nameof(FpScalarHelpers.FSqrt), a, width)
                    : FastCall(e, n == 64 ? nameof(FpScalarFast.FSqrt64) : nameof(FpScalarFast.FSqrt32), a);
                break;
            case 0b000100 or 0b000101 or 0b000111:
                {
                    int to = opcode switch { 0b000100 => 32, 0b000101 => 64, _ => 16 };
                    if (to == n)
                    {
                        e.Undefined();
                        return;
                    }
                    if (n == 32 && to == 64) result = FastCall(e, nameof(FpScalarFast.FCvtSingleToDouble), a);
                    else if (n == 64 && to == 32) result = FastCall(e, nameof(FpScalarFast.FCvtDoubleToSingle), a);
                    else result = FpCall(e, nameof(FpScalarHelpers.FConvert), a, width, e.Const((ulong)to));
                    break;
                }
            case >= 0b001000 and <= 0b001111 and not 0b001101:
                {
                    // FRINTN, P, M, Z, A, (reserved), X, I
                    ulong rounding = (opcode & 7) switch
                    {
                        0 => (ulong)FpRounding.TieEven,
                        1 => (ulong)FpRounding.PosInf,
                        2 => (ulong)FpRounding.NegInf,
                        3 => (ulong)FpRounding.Zero,
                        4 => (ulong)FpRounding.TieAway,
                        _ => FpScalarHelpers.RoundingFromFpcr,
                    };
                    ulong exact = opcode == 0b001110 ? 1UL : 0UL;
                    result = FpCall(e, nameof(FpScalarHelpers.FRound), a, width, e.Const(rounding), e.Const(exact));
                    break;
                }
            case >= 0b010000 and <= 0b010011 when n != 16:
                {
                    // FRINT32Z, FRINT32X, FRINT64Z, FRINT64X
                    ulong intBits = (opcode & 2) != 0 ? 64UL : 32UL;
                    ulong rounding = (opcode & 1) != 0 ? FpScalarHelpers.RoundingFromFpcr : (ulong)FpRounding.Zero;
                    result = FpCall(e, nameof(FpScalarHelpers.FRoundIntN), a, width, e.Const(intBits), e.Const(rounding));
                    break;
                }
            default:
                e.Undefined();
                return;
        }
        FpSetResult(e, rd, result);
    }

    /// <summary>FMUL, FDIV, FADD, FSUB, FMAX, FMIN, FMAXNM, FMINNM, FNMUL: opcode in bits 15:12.</summary>
    public static void FpDataProcessing2(ArmEmitter e, uint word)
    {
        int n = FpTypeWidth(word);
        string? helper = Bits(word, 12, 4) switch
        {
            0 => nameof(FpScalarHelpers.FMul),
            1 => nameof(FpScalarHelpers.FDiv),
            2 => nameof(FpScalarHelpers.FAdd),
            3 => nameof(FpScalarHelpers.FSub),
            4 => nameof(FpScalarHelpers.FMax),
            5 => nameof(FpScalarHelpers.FMin),
            6 => nameof(FpScalarHelpers.FMaxNm),
            7 => nameof(FpScalarHelpers.FMinNm),
            8 => nameof(FpScalarHelpers.FNMul),
            _ => null,
        };
        if (n == 0 || helper == null)
        {
            e.Undefined();
            return;
        }
        IrInst result;
        var a = FpOperand(e, Rn(word));
        var b = FpOperand(e, Rm(word));
        if (n == 16)
        {
            result = FpCall(e, helper, a, b, e.Const((ulong)n));
        }
        else
        {
            // Single and double: helpers Tier 1 inlines (host arithmetic with a guard).
            string w = n == 64 ? "64" : "32";
            uint opc = Bits(word, 12, 4);
            result = opc switch
            {
                0 => FastCall(e, "FMul" + w, a, b),
                1 => FastCall(e, "FDiv" + w, a, b),
                2 => FastCall(e, "FAdd" + w, a, b),
                3 => FastCall(e, "FSub" + w, a, b),
                4 or 6 => FastCall(e, "FMax" + w, a, b, e.Const(opc == 6 ? 1UL : 0)),
                5 or 7 => FastCall(e, "FMin" + w, a, b, e.Const(opc == 7 ? 1UL : 0)),
                _ => FastCall(e, "FNMul" + w, a, b),
            };
        }
        FpSetResult(e, Rd(word), result);
    }

    /// <summary>FMADD, FMSUB, FNMADD, FNMSUB (o1 = bit 21, o0 = bit 15): Rd = ±Ra + (±Rn) * Rm, fused.</summary>
    public static void FpDataProcessing3(ArmEmitter e, uint word)
    {
        int n = FpTypeWidth(word);
        if (n == 0)
        {
            e.Undefined();
            return;
        }
        uint o1 = Bit(word, 21), o0 = Bit(word, 15);
        if (n != 16)
        {
            FpSetResult(e, Rd(word), FastCall(e, n == 64 ? nameof(FpScalarFast.FMulAdd64) : nameof(FpScalarFast.FMulAdd32),
                FpOperand(e, Bits(word, 10, 5)), FpOperand(e, Rn(word)), FpOperand(e, Rm(word)), e.Const(o1), e.Const(o0 ^ o1)));
            return;
        }
        var result = FpCall(e, nameof(FpScalarHelpers.FMulAdd),
            FpOperand(e, Bits(word, 10, 5)), FpOperand(e, Rn(word)), FpOperand(e, Rm(word)), e.Const((ulong)n),
            e.Const(o1), e.Const(o0 ^ o1));
        FpSetResult(e, Rd(word), result);
    }

    /// <summary>FCMP/FCMPE (bit 4 = signal on quiet NaNs, bit 3 = compare with +0.0).</summary>
    public static void FpCompare(ArmEmitter e, uint word)
    {
        int n = FpTypeWidth(word);
        if (n == 0)
        {
            e.Undefined();
            return;
        }
        var b = Bit(word, 3) != 0 ? e.Const(0) : FpOperand(e, Rm(word));
        var nzcv = n == 16
            ? FpCall(e, nameof(FpScalarHelpers.FCmp), FpOperand(e, Rn(word)), b, e.Const((ulong)n), e.Const(Bit(word, 4)))
            : FastCall(e, n == 64 ? nameof(FpScalarFast.FCmp64) : nameof(FpScalarFast.FCmp32), FpOperand(e, Rn(word)), b, e.Const(Bit(word, 4)));
        e.Ir.SetFlags(nzcv);
    }

    /// <summary>FCCMP/FCCMPE: compare if the condition holds, else NZCV = the immediate.</summary>
    public static void FpConditionalCompare(ArmEmitter e, uint word)
    {
        int n = FpTypeWidth(word);
        if (n == 0)
        {
            e.Undefined();
            return;
        }
        var holds = Condition(e, Bits(word, 12, 4));
        var nzcv = FpCall(e, nameof(FpScalarHelpers.FCcmp), FpOperand(e, Rn(word)), FpOperand(e, Rm(word)), e.Const((ulong)n),
            e.Const(Bit(word, 4)), holds, e.Const((ulong)Bits(word, 0, 4) << 28));
        e.Ir.SetFlags(nzcv);
    }

    /// <summary>FCSEL: Rd = cond ? Rn : Rm.</summary>
    public static void FpConditionalSelect(ArmEmitter e, uint word)
    {
        int n = FpTypeWidth(word);
        if (n == 0)
        {
            e.Undefined();
            return;
        }
        var chosen = e.Ir.Select(Condition(e, Bits(word, 12, 4)), FpOperand(e, Rn(word)), FpOperand(e, Rm(word)));
        FpSetResult(e, Rd(word), n == 64 ? chosen : e.Ir.ZeroExtend(chosen, n));
    }

    /// <summary>
    /// Conversions between FP and general registers (bits 20:16 = rmode:opcode): FCVT[NPMZA][SU], SCVTF, UCVTF,
    /// FJCVTZS; with bit 21 clear, the fixed-point forms with scale in bits 15:10.
    /// </summary>
    public static void FpIntegerConvert(ArmEmitter e, uint word)
    {
        int n = FpTypeWidth(word);
        int intBits = SizeOf(word);
        bool fixedPoint = Bit(word, 21) == 0;
        uint rmode = Bits(word, 19, 2), opcode = Bits(word, 16, 3), rn = Rn(word), rd = Rd(word);
        int fbits = 0;
        if (fixedPoint)
        {
            uint scale = Bits(word, 10, 6);
            if (intBits == 32 && scale < 32)
            {
                e.Undefined();
                return;
            }
            fbits = 64 - (int)scale;
        }
        if (n == 0)
        {
            e.Undefined();
            return;
        }
        var width = e.Const((ulong)n);
        if (opcode == 0b010 || opcode == 0b011)
        {
            if (rmode != 0)
            {
                e.Undefined();
                return;
            }
            // SCVTF / UCVTF
            if (fbits == 0 && n != 16)
            {
                FpSetResult(e, rd, FastCall(e, nameof(FpScalarFast.IntToF), e.GetX(rn), e.Const((ulong)intBits), e.Const(opcode & 1), width));
                return;
            }
            var value = FpCall(e, nameof(FpScalarHelpers.IntToF), e.GetX(rn), e.Const((ulong)intBits), e.Const((ulong)fbits),
                e.Const(opcode & 1), width);
            FpSetResult(e, rd, value);
            return;
        }
        ulong rounding;
        switch ((rmode, opcode))
        {
            case (0, 0 or 1): rounding = (ulong)FpRounding.TieEven; break;
            case (0, 4 or 5): rounding = (ulong)FpRounding.TieAway; break;
            case (1, 0 or 1): rounding = (ulong)FpRounding.PosInf; break;
            case (2, 0 or 1): rounding = (ulong)FpRounding.NegInf; break;
            case (3, 0 or 1): rounding = (ulong)FpRounding.Zero; break;
            default:
                e.Undefined();
                return;
        }
        if (fixedPoint && rmode != 3)
        {
            e.Undefined();
            return;
        }
        var result = fbits == 0 && n != 16 && rounding == (ulong)FpRounding.Zero
            ? FastCall(e, nameof(FpScalarFast.FToIntZero), FpOperand(e, rn), width, e.Const(opcode & 1), e.Const((ulong)intBits))
            : FpCall(e, nameof(FpScalarHelpers.FToInt), FpOperand(e, rn), width, e.Const((ulong)fbits), e.Const(opcode & 1),
                e.Const((ulong)intBits), e.Const(rounding));
        e.SetX(rd, result);
    }

    /// <summary>FJCVTZS Wd, Dn: JavaScript ToInt32; NZCV = 0Z00 with Z set for an exact in-range conversion.</summary>
    public static void FpJavascriptConvert(ArmEmitter e, uint word)
    {
        var a = FpOperand(e, Rn(word));
        e.Ir.SetFlags(FpCall(e, nameof(FpScalarHelpers.FJcvtzsFlags), a));
        e.SetW(Rd(word), FpCall(e, nameof(FpScalarHelpers.FJcvtzs), a));
    }

    /// <summary>Width of the AdvSIMD scalar FP forms: sz (bit 22) picks single/double; the FP16 encodings pass 16.</summary>
    private static int FpScalarSz(uint word) => Bit(word, 22) != 0 ? 64 : 32;

    /// <summary>FRECPE, FRSQRTE, FRECPX (scalar, single/double).</summary>
    public static void FpScalarEstimate(ArmEmitter e, uint word) => FpScalarEstimateOf(e, word, FpScalarSz(word));

    /// <summary>FRECPE, FRSQRTE, FRECPX (scalar, half).</summary>
    public static void FpScalarEstimateHalf(ArmEmitter e, uint word) => FpScalarEstimateOf(e, word, 16);

    private static void FpScalarEstimateOf(ArmEmitter e, uint word, int n)
    {
        string helper = Bit(word, 29) != 0 ? nameof(FpScalarHelpers.FRsqrte)
            : Bit(word, 13) != 0 ? nameof(FpScalarHelpers.FRecpx) : nameof(FpScalarHelpers.FRecpe);
        FpSetResult(e, Rd(word), FpCall(e, helper, FpOperand(e, Rn(word)), e.Const((ulong)n)));
    }

    /// <summary>FRECPS, FRSQRTS (scalar, single/double): bit 23 picks FRSQRTS.</summary>
    public static void FpScalarStep(ArmEmitter e, uint word) => FpScalarStepOf(e, word, FpScalarSz(word));

    /// <summary>FRECPS, FRSQRTS (scalar, half).</summary>
    public static void FpScalarStepHalf(ArmEmitter e, uint word) => FpScalarStepOf(e, word, 16);

    private static void FpScalarStepOf(ArmEmitter e, uint word, int n)
    {
        string helper = Bit(word, 23) != 0 ? nameof(FpScalarHelpers.FRsqrts) : nameof(FpScalarHelpers.FRecps);
        FpSetResult(e, Rd(word), FpCall(e, helper, FpOperand(e, Rn(word)), FpOperand(e, Rm(word)), e.Const((ulong)n)));
    }
}
