using System.Diagnostics;
using Emu.Cpu;
using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>A64 hints, barriers, PSTATE, system registers (MRS/MSR) and cache maintenance (SYS), as EL0 sees them.</summary>
public static class InstEmitSystem
{
    /// <summary>Counter frequency reported by CNTFRQ_EL0 (1 GHz, as on many arm64 Linux systems).</summary>
    public const ulong CounterFrequency = 1_000_000_000;
    /// <summary>MIDR_EL1 as Linux lets EL0 read it: a Cortex-A57 r1p0.</summary>
    public const ulong MidrValue = 0x411FD070;
    /// <summary>CTR_EL0: 64-byte lines, IDC/DIC clear (the value qemu reports).</summary>
    public const ulong CtrValue = 0x8444c004;
    /// <summary>DCZID_EL0: DC ZVA allowed (DZP=0), 2^4 words = 64-byte blocks.</summary>
    public const ulong DczidValue = 4;
    public const int DcZvaBlockBytes = 64;

    /// <summary>FPCR bits that exist: AHP, DN, FZ, RMode, FZ16. Trap enables and Len/Stride read as zero.</summary>
    public const ulong FpcrWritableMask = 0x07C80000;
    /// <summary>FPSR bits that exist in AArch64: QC and the cumulative exception flags.</summary>
    public const ulong FpsrWritableMask = 0x0800009F;

    /// <summary>The system register key op0:op1:CRn:CRm:op2, i.e. bits [20:5] of MRS/MSR.</summary>
    public static uint SysKey(uint op0, uint op1, uint crn, uint crm, uint op2) => (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;

    private static readonly uint Nzcv = SysKey(3, 3, 4, 2, 0);
    private static readonly uint Fpcr = SysKey(3, 3, 4, 4, 0);
    private static readonly uint Fpsr = SysKey(3, 3, 4, 4, 1);
    private static readonly uint TpidrEl0 = SysKey(3, 3, 13, 0, 2);
    private static readonly uint TpidrroEl0 = SysKey(3, 3, 13, 0, 3);
    private static readonly uint CntfrqEl0 = SysKey(3, 3, 14, 0, 0);
    private static readonly uint CntpctEl0 = SysKey(3, 3, 14, 0, 1);
    private static readonly uint CntvctEl0 = SysKey(3, 3, 14, 0, 2);
    private static readonly uint CntpctssEl0 = SysKey(3, 3, 14, 0, 5);
    private static readonly uint CntvctssEl0 = SysKey(3, 3, 14, 0, 6);
    private static readonly uint CtrEl0 = SysKey(3, 3, 0, 0, 1);
    private static readonly uint DczidEl0 = SysKey(3, 3, 0, 0, 7);
    private static readonly uint MidrEl1 = SysKey(3, 0, 0, 0, 0);
    private static readonly uint MpidrEl1 = SysKey(3, 0, 0, 0, 5);
    private static readonly uint IdAa64Pfr0El1 = SysKey(3, 0, 0, 4, 0);

    /// <summary>The virtual counter: host monotonic time scaled to <see cref="CounterFrequency"/>.</summary>
    public static ulong ReadCounter()
    {
        long ticks = Stopwatch.GetTimestamp();
        long freq = Stopwatch.Frequency;
        return freq == (long)CounterFrequency ? (ulong)ticks : (ulong)((Int128)ticks * (long)CounterFrequency / freq);
    }

    /// <summary>HINT space (NOP, YIELD, WFE, WFI, SEV, PAC*SP, BTI, ...): all behave as NOP in user mode.</summary>
    public static void Hint(ArmEmitter e, uint w)
    {
    }

    public static void Clrex(ArmEmitter e, uint w) => e.Ir.ClearExclusive();

    /// <summary>DMB and DSB (and SSBB/PSSBB, which are DSB encodings).</summary>
    public static void Barrier(ArmEmitter e, uint w) => e.Ir.Barrier();

    /// <summary>ISB and SB: translated code never runs speculatively stale instructions, so nothing to do.</summary>
    public static void Isb(ArmEmitter e, uint w)
    {
    }

    public static void Cfinv(ArmEmitter e, uint w) => e.Ir.SetFlags(e.Ir.Xor(e.Ir.GetFlags(), e.Const(1UL << 29)));

    public static void Mrs(ArmEmitter e, uint w)
    {
        uint key = Bits(w, 20, 5);
        uint rt = Rd(w);
        IrInst? value = null;
        if (key == Nzcv) value = e.Ir.GetFlags();
        else if (key == Fpcr) value = e.Ir.GetSys(SysReg.Fpcr);
        else if (key == Fpsr) value = e.Ir.GetSys(SysReg.Fpsr);
        else if (key == TpidrEl0) value = e.Ir.GetSys(SysReg.Tpidr);
        else if (key == TpidrroEl0) value = e.Ir.GetSys(SysReg.TpidrRo);
        else if (key == CntfrqEl0) value = e.Const(CounterFrequency);
        else if (key == CntvctEl0 || key == CntpctEl0 || key == CntvctssEl0 || key == CntpctssEl0)
            value = e.Call(typeof(InstEmitSystem), nameof(ReadCounter));
        else if (key == CtrEl0) value = e.Const(CtrValue);
        else if (key == DczidEl0) value = e.Const(DczidValue);
        else if (key == MidrEl1) value = e.Const(MidrValue);
        else if (key == MpidrEl1) value = e.Const(0x80000000UL);
        else if (key == IdAa64Pfr0El1) value = e.Const(0x11UL); // EL0 and EL1 AArch64, FP and AdvSIMD present
        else if ((key & ~0x7fu) == SysKey(3, 0, 0, 0, 0) && Bits(w, 11, 8) <= 7)
            value = e.Const(0); // other ID registers: Linux emulates these for EL0; no optional features
        if (value == null)
        {
            e.Undefined();
            return;
        }
        e.SetX(rt, value);
    }

    public static void Msr(ArmEmitter e, uint w)
    {
        uint key = Bits(w, 20, 5);
        var v = e.GetX(Rd(w));
        if (key == Nzcv) e.Ir.SetFlags(e.Ir.And(v, e.Const(0xF0000000UL)));
        else if (key == Fpcr) e.Ir.SetSys(SysReg.Fpcr, e.Ir.And(v, e.Const(FpcrWritableMask)));
        else if (key == Fpsr) e.Ir.SetSys(SysReg.Fpsr, e.Ir.And(v, e.Const(FpsrWritableMask)));
        else if (key == TpidrEl0) e.Ir.SetSys(SysReg.Tpidr, v);
        else e.Undefined();
    }

    /// <summary>SYS: the EL0 cache maintenance operations. DC ZVA zeroes a block, IC IVAU drops translations; the others need no work here.</summary>
    public static void Sys(ArmEmitter e, uint w)
    {
        uint op1 = Bits(w, 18, 16), crn = Bits(w, 15, 12), crm = Bits(w, 11, 8), op2 = Bits(w, 7, 5);
        if (op1 != 3 || crn != 7 || op2 != 1)
        {
            e.Undefined();
            return;
        }
        switch (crm)
        {
            case 4: // DC ZVA
                var address = e.Ir.And(e.GetX(Rd(w)), e.Const(~(ulong)(DcZvaBlockBytes - 1)));
                var zero = e.Const(0);
                for (int i = 0; i < DcZvaBlockBytes; i += 8)
                    e.Ir.Store(i == 0 ? address : e.Ir.Add(address, e.Const((ulong)i)), zero, 8);
                break;
            case 5: // IC IVAU: the guest rewrote code on this line; translations of it are dropped
                e.Ir.Call(typeof(Emu.Jit.CodeCache), nameof(Emu.Jit.CodeCache.InvalidateInstructionLine), e.GetX(Rd(w)));
                break;
            case 10: // DC CVAC
            case 11: // DC CVAU
            case 12: // DC CVAP
            case 13: // DC CVADP
            case 14: // DC CIVAC
                break;
            default:
                e.Undefined();
                break;
        }
    }
}
