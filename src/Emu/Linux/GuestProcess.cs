using Emu.Cpu;
using Emu.Jit;
using Emu.Memory;

namespace Emu.Linux;

/// <summary>Settings of the guest process that come from the command line.</summary>
public sealed class ProcessOptions
{
    /// <summary>-L: guest root prefix for absolute paths (null: none).</summary>
    public string? SysRoot { get; set; }
    /// <summary>Absolute host path of the guest executable (for /proc/self/exe, AT_EXECFN).</summary>
    public string ExecutablePath { get; set; } = "";
    /// <summary>-strace output (null: off).</summary>
    public TextWriter? Strace { get; set; }
}

/// <summary>
/// The guest process as the Linux layer sees it: its address space, program break, and the handler for
/// every non-jump exit of translated code (syscalls, undefined instructions, breakpoints, faults).
/// </summary>
public sealed unsafe partial class GuestProcess : IGuestEnvironment
{
    public GuestMemory Memory { get; }
    public ProcessOptions Options { get; }

    /// <summary>Start of the heap (end of the loaded program's bss, page-aligned) and the current break.</summary>
    public ulong BrkStart { get; private set; }
    public ulong BrkCurrent { get; private set; }

    public GuestProcess(GuestMemory memory, ProcessOptions options)
    {
        Memory = memory;
        Options = options;
    }

    /// <summary>Called by the loader once the program is mapped.</summary>
    public void InitBrk(ulong start)
    {
        BrkStart = start;
        BrkCurrent = start;
    }

    public int? HandleExit(CpuContext* ctx) => throw new NotImplementedException();
}
