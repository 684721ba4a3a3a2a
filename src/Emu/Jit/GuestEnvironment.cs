using Emu.Cpu;

namespace Emu.Jit;

/// <summary>What the dispatcher hands to the operating-system layer: every exit that is not a plain jump.</summary>
public unsafe interface IGuestEnvironment
{
    /// <summary>
    /// Handles ctx->Exit (a syscall, an undefined instruction, a breakpoint, a fetch fault).
    /// Returns null to continue at ctx->Pc, or the process's exit status to stop running this thread.
    /// </summary>
    int? HandleExit(CpuContext* ctx);

    /// <summary>
    /// Called between blocks when a host signal is pending (Emu.Linux.Signals.HostSignals.Pending): may
    /// redirect ctx->Pc into a guest signal handler.
    /// </summary>
    void DeliverAsyncSignals(CpuContext* ctx) { }
}
