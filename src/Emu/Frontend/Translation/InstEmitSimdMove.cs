using System.Numerics;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>FP/SIMD register moves: FMOV, MOVI/MVNI/ORR/BIC (immediate), DUP, INS, UMOV, SMOV.</summary>
public static partial class InstEmit
{
    private static IrInst Vec(ArmEmitter e, uint r) => e.Ir.GetVec((int)r);

    private static IrInst Simd(ArmEmitter e, string helper, params IrInst[] args) => e.Ir.Call(typeof(SimdHelpers), helper, args);

    /// <summary>Writes Vd; a 64-bit (Q=0) result has its upper half cleared.</summary>
    private static void SetVecQ(ArmEmitter e, uint rd, IrInst value, bool q) =>
        e.Ir.SetVec((int)rd, q ? value : Simd(e, nameof(SimdHelpers.ZeroUpper), value));

    private static void SetVecScalar(ArmEmitter e, uint rd, IrInst low64) =>
        e.Ir.SetVec((int)rd, Simd(e, nameof(SimdHelpers.FromScalar), low64));

    private static bool Q(uint word) => Bits(word, 30, 1) == 1;

    /// <summary>DUP (element/general), INS (element/general), SMOV, UMOV: imm5 gives the element size and index.</summary>
    public static void SimdCopy(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint imm5 = Bits(word, 16, 5), imm4 = Bits(word, 11, 4), rn = Bits(word, 5, 5), rd = Bits(word, 0, 5);
        int size = BitOperations.TrailingZeroCount(imm5);
        if (size > 3)
        {
            e.Undefined();
            return;
        }
        var index = e.Const(imm5 >> (size + 1));
        var sizeC = e.Const((ulong)size);
        if (Bits(word, 29, 1) == 1)
        {
            // INS (element): source index in imm4.
            var x = Simd(e, nameof(SimdHelpers.ExtractLane), Vec(e, rn), e.Const(imm4 >> size), sizeC);
            e.Ir.SetVec((int)rd, Simd(e, nameof(SimdHelpers.InsertLane), Vec(e, rd), x, index, sizeC));
            return;
        }
        switch (imm4)
        {
            case 0b0000 when size < 3 || q:
                SetVecQ(e, rd, Simd(e, nameof(SimdHelpers.Dup), Simd(e, nameof(SimdHelpers.ExtractLane), Vec(e, rn), index, sizeC), sizeC), q);
                break;
            case 0b0001 when size < 3 || q:
                SetVecQ(e, rd, Simd(e, nameof(SimdHelpers.Dup), e.GetX(rn), sizeC), q);
                break;
            case 0b0011 when q:
                e.Ir.SetVec((int)rd, Simd(e, nameof(SimdHelpers.InsertLane), Vec(e, rd), e.GetX(rn), index, sizeC));
                break;
            case 0b0101 when q ? size <= 2 : size <= 1:
                {
                    var x = Simd(e, nameof(SimdHelpers.ExtractLaneSigned), Vec(e, rn), index, sizeC);
                    if (q) e.SetX(rd, x);
                    else e.SetW(rd, x);
                    break;
                }
            case 0b0111 when q ? size == 3 : size <= 2:
                e.SetX(rd, Simd(e, nameof(SimdHelpers.ExtractLane), Vec(e, rn), index, sizeC));
                break;
            default:
                e.Undefined();
                break;
        }
    }

    /// <summary>DUP (element, scalar) = MOV Bd/Hd/Sd/Dd, Vn.T[i].</summary>
    public static void SimdDupScalar(ArmEmitter e, uint word)
    {
        uint imm5 = Bits(word, 16, 5);
        int size = BitOperations.TrailingZeroCount(imm5);
        if (size > 3)
        {
            e.Undefined();
            return;
        }
        var x = Simd(e, nameof(SimdHelpers.ExtractLane), Vec(e, Bits(word, 5, 5)), e.Const(imm5 >> (size + 1)), e.Const((ulong)size));
        SetVecScalar(e, Bits(word, 0, 5), x);
    }

    /// <summary>FMOV between a general register and an FP register (or the upper D lane): sf, type, rmode, opcode.</summary>
    public static void FmovGeneral(ArmEmitter e, uint word)
    {
        uint sf = Bits(word, 31, 1), type = Bits(word, 22, 2), rmode = Bits(word, 19, 2), opcode = Bits(word, 16, 3);
        uint rn = Bits(word, 5, 5), rd = Bits(word, 0, 5);
        bool toGeneral = opcode == 0b110;
        int bits;
        bool upper = false;
        switch ((sf, type, rmode))
        {
            case (0, 0, 0): bits = 32; break;
            case (1, 1, 0): bits = 64; break;
            case (1, 2, 1): bits = 64; upper = true; break;
            case (0, 3, 0) or (1, 3, 0): bits = 16; break;
            default:
                e.Undefined();
                return;
        }
        if (toGeneral)
        {
            var x = Simd(e, upper ? nameof(SimdHelpers.High64) : nameof(SimdHelpers.Low64), Vec(e, rn));
            e.SetX(rd, bits == 64 ? x : e.Ir.ZeroExtend(x, bits));
        }
        else if (upper)
            e.Ir.SetVec((int)rd, Simd(e, nameof(SimdHelpers.WithHigh64), Vec(e, rd), e.GetX(rn)));
        else
        {
            var x = e.GetX(rn);
            SetVecScalar(e, rd, bits == 64 ? x : e.Ir.ZeroExtend(x, bits));
        }
    }

    /// <summary>FMOV (register): copies the low 16/32/64 bits, clearing the rest.</summary>
    public static void FmovRegister(ArmEmitter e, uint word)
    {
        int bits = Bits(word, 22, 2) switch { 0 => 32, 1 => 64, 3 => 16, _ => 0 };
        if (bits == 0)
        {
            e.Undefined();
            return;
        }
        var x = Simd(e, nameof(SimdHelpers.Low64), Vec(e, Bits(word, 5, 5)));
        SetVecScalar(e, Bits(word, 0, 5), bits == 64 ? x : e.Ir.ZeroExtend(x, bits));
    }

    /// <summary>VFPExpandImm: the 8-bit FP immediate as a half, single or double bit pattern.</summary>
    private static ulong ExpandFpImmediate(uint imm8, int bits)
    {
        ulong sign = imm8 >> 7, b6 = (imm8 >> 6) & 1, low6 = imm8 & 0x3F;
        int exponentBits = bits switch { 16 => 5, 32 => 8, _ => 11 };
        int fractionBits = bits - 1 - exponentBits;
        // exponent = NOT(b6) : Replicate(b6, E-3) : imm8<5:4>
        ulong exponent = ((b6 ^ 1) << (exponentBits - 1)) | ((b6 == 1 ? (1UL << (exponentBits - 3)) - 1 : 0) << 2) | (low6 >> 4);
        ulong fraction = (low6 & 0xF) << (fractionBits - 4);
        return (sign << (bits - 1)) | (exponent << fractionBits) | fraction;
    }

    /// <summary>FMOV (scalar, immediate).</summary>
    public static void FmovImmediate(ArmEmitter e, uint word)
    {
        int bits = Bits(word, 22, 2) switch { 0 => 32, 1 => 64, 3 => 16, _ => 0 };
        if (bits == 0)
        {
            e.Undefined();
            return;
        }
        SetVecScalar(e, Bits(word, 0, 5), e.Const(ExpandFpImmediate(Bits(word, 13, 8), bits)));
    }

    /// <summary>AdvSIMDExpandImm: the 64-bit pattern (replicated to 128 bits) for op, cmode, imm8.</summary>
    private static ulong ExpandSimdImmediate(uint op, uint cmode, uint imm8)
    {
        ulong i = imm8;
        static ulong Rep32(ulong x) => x | (x << 32);
        static ulong Rep16(ulong x) => Rep32(x | (x << 16));
        switch (cmode >> 1)
        {
            case 0: return Rep32(i);
            case 1: return Rep32(i << 8);
            case 2: return Rep32(i << 16);
            case 3: return Rep32(i << 24);
            case 4: return Rep16(i);
            case 5: return Rep16(i << 8);
            case 6: return (cmode & 1) == 0 ? Rep32((i << 8) | 0xFF) : Rep32((i << 16) | 0xFFFF);
        }
        if ((cmode & 1) == 0)
        {
            if (op == 0) return Rep16(i | (i << 8));
            ulong r = 0;
            for (int b = 0; b < 8; b++)
                if (((imm8 >> b) & 1) != 0) r |= 0xFFUL << (b * 8);
            return r;
        }
        return op == 0 ? Rep32(ExpandFpImmediate(imm8, 32)) : ExpandFpImmediate(imm8, 64);
    }

    /// <summary>MOVI/MVNI/ORR/BIC (vector, immediate) and FMOV (vector, immediate).</summary>
    public static void SimdModifiedImmediate(ArmEmitter e, uint word)
    {
        bool q = Q(word);
        uint op = Bits(word, 29, 1), cmode = Bits(word, 12, 4), rd = Bits(word, 0, 5);
        uint imm8 = (Bits(word, 16, 3) << 5) | Bits(word, 5, 5);
        if (Bits(word, 11, 1) == 1 || (cmode == 0b1111 && op == 1 && !q))
        {
            e.Undefined();
            return;
        }
        ulong imm = ExpandSimdImmediate(op, cmode, imm8);
        // ORR/BIC: cmode 0xx1 (32-bit) or 10x1 (16-bit).
        bool logical = (cmode & 1) == 1 && cmode < 0b1100;
        bool invert = op == 1 && !logical && cmode < 0b1110;
        if (invert) imm = ~imm;
        var constant = Simd(e, nameof(SimdHelpers.FromPair), e.Const(imm), e.Const(imm));
        if (logical)
            constant = Simd(e, op == 0 ? nameof(SimdHelpers.Orr) : nameof(SimdHelpers.Bic), Vec(e, rd), constant);
        SetVecQ(e, rd, constant, q);
    }
}
