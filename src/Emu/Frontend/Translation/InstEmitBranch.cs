using Emu.Cpu;
using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>A64 branches and exception generation.</summary>
public static class InstEmitBranch
{
    public static void B(ArmEmitter e, uint w) => e.Ir.Jump(e.Pc + (ulong)(SignExtend(w & 0x3ffffff, 26) << 2));

    public static void Bl(ArmEmitter e, uint w)
    {
        e.SetX(30, e.Const(e.NextPc));
        B(e, w);
    }

    /// <summary>BR, BRAA/BRAAZ/BRAB/BRABZ: pointer authentication is not advertised, so the PAC forms branch like BR.</summary>
    public static void Br(ArmEmitter e, uint w) => e.Ir.JumpIndirect(e.GetX(Rn(w)));

    /// <summary>BLR and its PAC forms; the target is read before X30 is written (BLR X30).</summary>
    public static void Blr(ArmEmitter e, uint w)
    {
        var target = e.GetX(Rn(w));
        e.SetX(30, e.Const(e.NextPc));
        e.Ir.JumpIndirect(target);
    }

    public static void Ret(ArmEmitter e, uint w) => e.Ir.JumpIndirect(e.GetX(Rn(w)));

    /// <summary>RETAA/RETAB: return to X30 (no authentication).</summary>
    public static void RetPac(ArmEmitter e, uint w) => e.Ir.JumpIndirect(e.GetX(30));

    private static ulong Target19(ArmEmitter e, uint w) => e.Pc + (ulong)(SignExtend(Bits(w, 23, 5), 19) << 2);

    /// <summary>B.cond and BC.cond (the consistent-branch hint does not change behaviour).</summary>
    public static void BCond(ArmEmitter e, uint w)
    {
        uint cond = w & 0xf;
        ulong target = Target19(e, w);
        if (cond >= 14) e.Ir.Jump(target);
        else e.Ir.Branch(e.Ir.CondHolds(e.Ir.GetFlags(), (int)cond), target, e.NextPc);
    }

    public static void Cbz(ArmEmitter e, uint w) => CompareBranch(e, w, nonZero: false);
    public static void Cbnz(ArmEmitter e, uint w) => CompareBranch(e, w, nonZero: true);

    private static void CompareBranch(ArmEmitter e, uint w, bool nonZero)
    {
        int size = SizeOf(w);
        var cond = e.Ir.Compare(e.GetX(Rd(w)), e.Const(0), nonZero ? IrCompare.Ne : IrCompare.Eq, size);
        e.Ir.Branch(cond, Target19(e, w), e.NextPc);
    }

    public static void Tbz(ArmEmitter e, uint w) => TestBranch(e, w, nonZero: false);
    public static void Tbnz(ArmEmitter e, uint w) => TestBranch(e, w, nonZero: true);

    private static void TestBranch(ArmEmitter e, uint w, bool nonZero)
    {
        int bit = (int)((Bit(w, 31) << 5) | Bits(w, 23, 19));
        ulong target = e.Pc + (ulong)(SignExtend(Bits(w, 18, 5), 14) << 2);
        var tested = e.Ir.And(e.GetX(Rd(w)), e.Const(1UL << bit));
        e.Ir.Branch(e.Ir.Compare(tested, e.Const(0), nonZero ? IrCompare.Ne : IrCompare.Eq), target, e.NextPc);
    }

    /// <summary>SVC: Linux ignores the immediate; the syscall returns to the next instruction.</summary>
    public static void Svc(ArmEmitter e, uint w) => e.Ir.Exit(ExitReason.Syscall, e.NextPc);

    public static void Brk(ArmEmitter e, uint w) => e.Ir.Exit(ExitReason.Breakpoint, e.Pc, (int)Bits(w, 20, 5));

    public static void Hlt(ArmEmitter e, uint w) => e.Ir.Exit(ExitReason.Trap, e.Pc, (int)Bits(w, 20, 5));

    /// <summary>UDF, and exception-generating forms that user mode may not execute (HVC, SMC, DCPS).</summary>
    public static void Udf(ArmEmitter e, uint w) => e.Undefined();
}
