using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>
/// LSE atomics: LD&lt;op&gt; (and their ST&lt;op&gt; aliases with Rt = XZR), SWP, CAS and CASP in every size and
/// ordering. The helpers are host atomics and full barriers, so the A/L/AL orderings need nothing extra.
/// </summary>
public static class InstEmitAtomic
{
    private static IrInst Address(ArmEmitter e, uint w) => e.GetXsp(Rn(w));

    /// <summary>LDADD..LDUMIN (opc in bits [14:12]) and SWP (bit 15): size in bits [31:30].</summary>
    public static void ReadModifyWrite(ArmEmitter e, uint w)
    {
        ulong bytes = 1UL << (int)Bits(w, 31, 30);
        ulong op = Bit(w, 15) != 0 ? (ulong)AtomicHelpers.RmwOp.Swp : Bits(w, 14, 12);
        var old = e.Call(typeof(AtomicHelpers), nameof(AtomicHelpers.ReadModifyWrite),
            Address(e, w), e.GetX(Rm(w)), e.Const(op), e.Const(bytes));
        e.SetX(Rd(w), old);
    }

    /// <summary>CAS{A,L,AL}{B,H,,}: Rs is compared and receives the old value, Rt is the new value.</summary>
    public static void CompareAndSwap(ArmEmitter e, uint w)
    {
        ulong bytes = 1UL << (int)Bits(w, 31, 30);
        uint rs = Rm(w);
        var old = e.Call(typeof(AtomicHelpers), nameof(AtomicHelpers.CompareAndSwap),
            Address(e, w), e.GetX(rs), e.GetX(Rd(w)), e.Const(bytes));
        e.SetX(rs, old);
    }

    /// <summary>CASP{A,L,AL}: pairs Rs,Rs+1 (compare, then old values) and Rt,Rt+1 (new values); both must be even.</summary>
    public static void CompareAndSwapPair(ArmEmitter e, uint w)
    {
        uint rs = Rm(w), rt = Rd(w);
        if ((rs & 1) != 0 || (rt & 1) != 0)
        {
            e.Undefined();
            return;
        }
        ulong bytes = Bit(w, 30) != 0 ? 8UL : 4UL;
        var oldLow = e.Call(typeof(AtomicHelpers), nameof(AtomicHelpers.CompareAndSwapPair),
            Address(e, w), e.GetX(rs), e.GetX(rs + 1), e.GetX(rt), e.GetX(rt + 1), e.Const(bytes));
        var oldHigh = e.Call(typeof(AtomicHelpers), nameof(AtomicHelpers.CompareAndSwapPairHigh));
        e.SetX(rs, oldLow);
        e.SetX(rs + 1, oldHigh);
    }
}
