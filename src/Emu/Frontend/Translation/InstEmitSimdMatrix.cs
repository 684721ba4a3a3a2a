using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>Int8 matrix multiply extension (I8MM): SMMLA, UMMLA, USMMLA, USDOT (vector, by element), SUDOT (by element).</summary>
public static class InstEmitSimdMatrix
{
    private const ulong NUnsigned = 1, MUnsigned = 2;

    private static IrInst V(ArmEmitter e, uint r) => e.Ir.GetVec((int)r);

    /// <summary>SMMLA (U=0, B=0), UMMLA (U=1, B=0), USMMLA (U=0, B=1): U in bit 29, B in bit 11.</summary>
    public static void Mmla(ArmEmitter e, uint w)
    {
        ulong signs = Bit(w, 29) != 0 ? NUnsigned | MUnsigned : Bit(w, 11) != 0 ? NUnsigned : 0;
        e.Ir.SetVec((int)Rd(w), e.Call(typeof(SimdMatrixHelpers), nameof(SimdMatrixHelpers.Mmla), V(e, Rd(w)), V(e, Rn(w)), V(e, Rm(w)), e.Const(signs)));
    }

    /// <summary>USDOT Vd.{2S,4S}, Vn.{8B,16B}, Vm.{8B,16B}: Vn unsigned, Vm signed.</summary>
    public static void UsdotVector(ArmEmitter e, uint w)
    {
        ulong lanes = Bit(w, 30) != 0 ? 4UL : 2UL;
        e.Ir.SetVec((int)Rd(w), e.Call(typeof(SimdMatrixHelpers), nameof(SimdMatrixHelpers.MixedDot),
            V(e, Rd(w)), V(e, Rn(w)), V(e, Rm(w)), e.Const(NUnsigned), e.Const(lanes), e.Const(4)));
    }

    /// <summary>SUDOT (size 00: Vn signed, Vm unsigned) and USDOT (size 10) by element Vm.4B[H:L], Vm = M:Rm.</summary>
    public static void DotByElement(ArmEmitter e, uint w)
    {
        ulong lanes = Bit(w, 30) != 0 ? 4UL : 2UL;
        ulong signs = Bits(w, 23, 22) == 0 ? MUnsigned : NUnsigned;
        uint index = (Bit(w, 11) << 1) | Bit(w, 21);
        e.Ir.SetVec((int)Rd(w), e.Call(typeof(SimdMatrixHelpers), nameof(SimdMatrixHelpers.MixedDot),
            V(e, Rd(w)), V(e, Rn(w)), V(e, Bits(w, 20, 16)), e.Const(signs), e.Const(lanes), e.Const(index)));
    }
}
