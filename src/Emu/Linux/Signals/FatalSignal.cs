using System.Runtime.InteropServices;
using Emu.Linux.Native;

namespace Emu.Linux.Signals;

/// <summary>
/// Ends the process by a signal, exactly as a native process dies of it: the parent sees WTERMSIG and a
/// shell prints "Segmentation fault" or "Illegal instruction". The translator's own handlers for the
/// signal (the .NET runtime installs some) are reset first.
/// </summary>
public static unsafe partial class FatalSignal
{
    public const int SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11;



    [LibraryImport("libc", EntryPoint = "sigprocmask")]
    private static partial int Sigprocmask(int how, ulong* set, ulong* old);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int sig);

    [LibraryImport("libc", EntryPoint = "getpid")]
    private static partial int GetPid();

    /// <summary>Never returns: dies of <paramref name="signo"/> (or exits 128+signo if the signal cannot kill us).</summary>
    public static void Die(int signo)
    {
        // (Console.Out and Console.Error write through: nothing to flush.)
        var act = default(LibC.HostSigaction); // SIG_DFL, empty mask
        LibC.Sigaction(signo, &act, null);
        ulong set = 1UL << (signo - 1);
        Sigprocmask(1 /* SIG_UNBLOCK */, &set, null);
        Kill(GetPid(), signo);
        LibC.Exit(128 + signo);
    }

    public static string Name(int signo) => signo switch
    {
        SIGILL => "Illegal instruction",
        SIGTRAP => "Trace/breakpoint trap",
        SIGABRT => "Aborted",
        SIGBUS => "Bus error",
        SIGFPE => "Floating point exception",
        SIGKILL => "Killed",
        SIGSEGV => "Segmentation fault",
        _ => $"signal {signo}",
    };
}
