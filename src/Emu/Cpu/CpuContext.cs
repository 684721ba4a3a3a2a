using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Emu.Cpu;

/// <summary>Why a translated block returned to the dispatcher other than to continue at the returned PC.</summary>
public enum ExitReason : int
{
    None = 0,
    /// <summary>SVC #0: the PC field holds the address after the SVC.</summary>
    Syscall = 1,
    /// <summary>An undecodable or unimplemented word; PC holds its address.</summary>
    Undefined = 2,
    /// <summary>BRK #imm; PC holds its address, ExitInfo the immediate.</summary>
    Breakpoint = 3,
    /// <summary>HLT/UDF and similar traps; PC holds the address.</summary>
    Trap = 4,
    /// <summary>The PC points at memory that is not mapped executable (instruction abort).</summary>
    FetchFault = 5,
    /// <summary>A load or store hit an unmapped or protected guest page; FaultAddress and FaultCode say which.</summary>
    MemoryFault = 6,
}

/// <summary>System registers that IR GetSys/SetSys address.</summary>
public enum SysReg : int
{
    Tpidr = 0,
    Fpcr = 1,
    Fpsr = 2,
    TpidrRo = 3,
}

/// <summary>
/// The guest CPU state of one guest thread, in unmanaged memory so translated code reaches
/// every field with a constant offset from one pointer (no GC, no bounds checks).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct CpuContext
{
    /// <summary>X0..X30 at indices 0..30; index 31 is SP.</summary>
    public fixed ulong X[32];
    /// <summary>V0..V31, 16 bytes each, little-endian lanes.</summary>
    public fixed ulong V[64];
    public ulong Pc;
    /// <summary>NZCV in bits 31..28, as MRS NZCV reads it.</summary>
    public ulong Nzcv;
    public ulong Fpcr;
    public ulong Fpsr;
    public ulong Tpidr;
    public ulong TpidrRo;
    /// <summary>Exclusive monitor: address, the value loaded, and the access size in bytes (0 = open).</summary>
    public ulong ExclusiveAddress;
    public ulong ExclusiveValue;
    public ulong ExclusiveValueHigh;
    public ulong ExclusiveSize;
    /// <summary>Host address of guest address 0.</summary>
    public ulong MemBase;
    /// <summary>Mask that confines a guest address to the reservation.</summary>
    public ulong MemMask;
    public ExitReason Exit;
    public int ExitInfo;
    /// <summary>For <see cref="ExitReason.MemoryFault"/>: the guest address and the host si_code.</summary>
    public ulong FaultAddress;
    public int FaultCode;
    /// <summary>Set by another thread when a signal awaits this one: the dispatcher enters it at the next block end.</summary>
    public int SignalAttention;
    /// <summary>Which exit of its Tier 1 code the last block left by (numbered by the IL compiler), for per-exit links.</summary>
    public int LastExit;
    /// <summary>The start PC of the block whose Tier 1 code runs (direct transfers from one block's code to the next update it).</summary>
    public ulong RunningPc;
    /// <summary>
    /// Return-address prediction for Tier 1 code: a call exit (BL, BLR) pushes the return PC and the id of its
    /// return site (whose link says what code runs there); a return exit (RET) pops and, when the PC matches,
    /// goes straight to that code. A circular stack: overflow and mismatches (longjmp) only cost a prediction.
    /// </summary>
    public fixed ulong ReturnPcs[ReturnStackDepth];
    public fixed int ReturnSites[ReturnStackDepth];
    public int ReturnTop;
    /// <summary>A predicted return whose site link was stale: DirectTransfers.NextCode refreshes that site.</summary>
    public int ReturnSiteMiss;

    public const int ReturnStackDepth = 16;

    public const int SpIndex = 31;

    public static int OffsetOfX(int r) => r * 8;
    public static int OffsetOfV(int v) => 32 * 8 + v * 16;
    public static readonly int OffsetOfPc, OffsetOfNzcv, OffsetOfMemBase, OffsetOfMemMask, OffsetOfExit, OffsetOfSignalAttention, OffsetOfLastExit, OffsetOfExitInfo, OffsetOfRunningPc,
        OffsetOfReturnPcs, OffsetOfReturnSites, OffsetOfReturnTop, OffsetOfReturnSiteMiss;
    private static readonly int OffsetOfTpidr, OffsetOfFpcr, OffsetOfFpsr, OffsetOfTpidrRo;

    // Measured on a local context rather than with Marshal.OffsetOf, which costs reflection and JIT at start-up.
    static CpuContext()
    {
        CpuContext c = default;
        byte* b = (byte*)&c;
        OffsetOfPc = (int)((byte*)&c.Pc - b);
        OffsetOfNzcv = (int)((byte*)&c.Nzcv - b);
        OffsetOfMemBase = (int)((byte*)&c.MemBase - b);
        OffsetOfMemMask = (int)((byte*)&c.MemMask - b);
        OffsetOfExit = (int)((byte*)&c.Exit - b);
        OffsetOfSignalAttention = (int)((byte*)&c.SignalAttention - b);
        OffsetOfLastExit = (int)((byte*)&c.LastExit - b);
        OffsetOfExitInfo = (int)((byte*)&c.ExitInfo - b);
        OffsetOfRunningPc = (int)((byte*)&c.RunningPc - b);
        OffsetOfReturnPcs = (int)((byte*)c.ReturnPcs - b);
        OffsetOfReturnSites = (int)((byte*)c.ReturnSites - b);
        OffsetOfReturnTop = (int)((byte*)&c.ReturnTop - b);
        OffsetOfReturnSiteMiss = (int)((byte*)&c.ReturnSiteMiss - b);
        OffsetOfTpidr = (int)((byte*)&c.Tpidr - b);
        OffsetOfFpcr = (int)((byte*)&c.Fpcr - b);
        OffsetOfFpsr = (int)((byte*)&c.Fpsr - b);
        OffsetOfTpidrRo = (int)((byte*)&c.TpidrRo - b);
    }

    public static int OffsetOfSys(SysReg reg) => reg switch
    {
        SysReg.Tpidr => OffsetOfTpidr,
        SysReg.Fpcr => OffsetOfFpcr,
        SysReg.Fpsr => OffsetOfFpsr,
        SysReg.TpidrRo => OffsetOfTpidrRo,
        _ => throw new ArgumentOutOfRangeException(nameof(reg)),
    };

    public Vector128<byte> GetV(int v)
    {
        fixed (ulong* p = V) return Unsafe.ReadUnaligned<Vector128<byte>>(p + v * 2);
    }

    public void SetV(int v, Vector128<byte> value)
    {
        fixed (ulong* p = V) Unsafe.WriteUnaligned(p + v * 2, value);
    }

    /// <summary>Allocates a zeroed context in unmanaged memory; free with <see cref="Free"/>.</summary>
    public static CpuContext* Allocate()
    {
        var p = (CpuContext*)NativeMemory.AlignedAlloc((nuint)sizeof(CpuContext), 64);
        Unsafe.InitBlockUnaligned(p, 0, (uint)sizeof(CpuContext));
        return p;
    }

    public static void Free(CpuContext* p) => NativeMemory.AlignedFree(p);
}
