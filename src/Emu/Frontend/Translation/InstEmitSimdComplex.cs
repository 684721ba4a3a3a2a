using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>Complex number arithmetic (FCMA): FCMLA (vector and by element) and FCADD.</summary>
public static class InstEmitSimdComplex
{
    private static IrInst V(ArmEmitter e, uint r) => e.Ir.GetVec((int)r);

    /// <summary>Lane size in bits for size 01/10/11 (H/S/D); 0 for the reserved size 00 and for D with Q = 0.</summary>
    private static ulong LaneBits(uint w)
    {
        uint size = Bits(w, 23, 22);
        if (size == 0 || (size == 3 && Bit(w, 30) == 0)) return 0;
        return 8UL << (int)size;
    }

    private static ulong Pairs(uint w, ulong esize) => (Bit(w, 30) != 0 ? 128UL : 64UL) / esize / 2;

    /// <summary>FCMLA Vd, Vn, Vm, #rot: rot in bits [12:11].</summary>
    public static void FcmlaVector(ArmEmitter e, uint w)
    {
        ulong esize = LaneBits(w);
        if (esize == 0)
        {
            e.Undefined();
            return;
        }
        var r = e.Call(typeof(SimdComplexHelpers), nameof(SimdComplexHelpers.Fcmla), V(e, Rd(w)), V(e, Rn(w)), V(e, Rm(w)),
            e.Const(esize), e.Const(Pairs(w, esize)), e.Const(Bits(w, 12, 11)), e.Const(SimdComplexHelpers.NoIndex));
        e.Ir.SetVec((int)Rd(w), r);
    }

    /// <summary>FCADD Vd, Vn, Vm, #rot: bit 12 = 0 for #90, 1 for #270.</summary>
    public static void Fcadd(ArmEmitter e, uint w)
    {
        ulong esize = LaneBits(w);
        if (esize == 0)
        {
            e.Undefined();
            return;
        }
        var r = e.Call(typeof(SimdComplexHelpers), nameof(SimdComplexHelpers.Fcadd), V(e, Rn(w)), V(e, Rm(w)),
            e.Const(esize), e.Const(Pairs(w, esize)), e.Const(Bit(w, 12)));
        e.Ir.SetVec((int)Rd(w), r);
    }

    /// <summary>
    /// FCMLA Vd, Vn, Vm.{H,S}[index], #rot (rot in bits [14:13], Vm = M:Rm): H lanes index H:L (H = 0 when
    /// Q = 0), S lanes index H with L = 0 and Q = 1; other sizes are reserved.
    /// </summary>
    public static void FcmlaElement(ArmEmitter e, uint w)
    {
        uint size = Bits(w, 23, 22), h = Bit(w, 11), l = Bit(w, 21), q = Bit(w, 30);
        ulong esize, index;
        if (size == 1 && (q == 1 || h == 0))
        {
            esize = 16;
            index = (h << 1) | l;
        }
        else if (size == 2 && l == 0 && q == 1)
        {
            esize = 32;
            index = h;
        }
        else
        {
            e.Undefined();
            return;
        }
        var r = e.Call(typeof(SimdComplexHelpers), nameof(SimdComplexHelpers.Fcmla), V(e, Rd(w)), V(e, Rn(w)), V(e, Bits(w, 20, 16)),
            e.Const(esize), e.Const(Pairs(w, esize)), e.Const(Bits(w, 14, 13)), e.Const(index));
        e.Ir.SetVec((int)Rd(w), r);
    }
}
