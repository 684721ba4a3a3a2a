using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Identity and lifetime of the process. Guest ids are the host's: the guest runs inside this process.
public sealed unsafe partial class GuestProcess
{
    /// <summary>set_tid_address of the calling thread: where its tid is cleared (and a futex woken) at its exit.</summary>
    public ulong ClearChildTid => t_clearChildTid;
    /// <summary>set_robust_list: the guest's robust futex list head and its length.</summary>
    public ulong RobustListHead { get; private set; }
    public ulong RobustListLength { get; private set; }

    private void RegisterProcessSyscalls()
    {
        // exit and exit_group are handled before the table (they end the run); rows exist for -strace.
        Register(G.Exit, "d", (SyscallArgs a) => 0);
        Register(G.ExitGroup, "d", (SyscallArgs a) => 0);
        Register(G.Getpid, "", (SyscallArgs a) => Host(H.Getpid));
        Register(G.Getppid, "", (SyscallArgs a) => Host(H.Getppid));
        Register(G.Gettid, "", (SyscallArgs a) => Host(H.Gettid));
        Register(G.Getuid, "", (SyscallArgs a) => Host(H.Getuid));
        Register(G.Geteuid, "", (SyscallArgs a) => Host(H.Geteuid));
        Register(G.Getgid, "", (SyscallArgs a) => Host(H.Getgid));
        Register(G.Getegid, "", (SyscallArgs a) => Host(H.Getegid));
        Register(G.Getresuid, "ppp", (SyscallArgs a) => Host(H.Getresuid, HostBuffer(a.A0, 4), HostBuffer(a.A1, 4), HostBuffer(a.A2, 4)));
        Register(G.Getresgid, "ppp", (SyscallArgs a) => Host(H.Getresgid, HostBuffer(a.A0, 4), HostBuffer(a.A1, 4), HostBuffer(a.A2, 4)));
        Register(G.Getgroups, "dp", (SyscallArgs a) => Host(H.Getgroups, (long)a.A0, HostBufferOrNull(a.A1, (ulong)Math.Max(0, (int)a.A0) * 4)));
        Register(G.Setuid, "d", (SyscallArgs a) => Host(H.Setuid, (long)a.A0));
        Register(G.Setgid, "d", (SyscallArgs a) => Host(H.Setgid, (long)a.A0));
        Register(G.Setreuid, "dd", (SyscallArgs a) => Host(H.Setreuid, (long)a.A0, (long)a.A1));
        Register(G.Setregid, "dd", (SyscallArgs a) => Host(H.Setregid, (long)a.A0, (long)a.A1));
        Register(G.Setresuid, "ddd", (SyscallArgs a) => Host(H.Setresuid, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.Setresgid, "ddd", (SyscallArgs a) => Host(H.Setresgid, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.Getpgid, "d", (SyscallArgs a) => Host(H.Getpgid, (long)a.A0));
        Register(G.Setpgid, "dd", (SyscallArgs a) => Host(H.Setpgid, (long)a.A0, (long)a.A1));
        Register(G.Getsid, "d", (SyscallArgs a) => Host(H.Getsid, (long)a.A0));
        Register(G.Setsid, "", (SyscallArgs a) => Host(H.Setsid));
        Register(G.Getpriority, "dd", (SyscallArgs a) => Host(H.Getpriority, (long)a.A0, (long)a.A1));
        Register(G.Setpriority, "ddd", (SyscallArgs a) => Host(H.Setpriority, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.SetTidAddress, "p", (SyscallArgs a) =>
        {
            t_clearChildTid = a.A0;
            return Host(H.Gettid);
        });
        Register(G.SetRobustList, "pu", (SyscallArgs a) =>
        {
            // The kernel walks this list at thread exit; it holds guest addresses, so it is only recorded.
            if (a.A1 != 24) return -EINVAL;
            RobustListHead = a.A0;
            RobustListLength = a.A1;
            return 0;
        });
        Register(G.GetRobustList, "dpp", (SyscallArgs a) =>
        {
            if (a.A0 != 0 && (long)a.A0 != Host(H.Gettid)) return -ESRCH;
            WriteGuest(a.A1, RobustListHead);
            WriteGuest(a.A2, RobustListLength);
            return 0;
        });
        Register(G.Wait4, "dpxp", (SyscallArgs a) => Host(H.Wait4, (long)a.A0, HostBufferOrNull(a.A1, 4), (long)a.A2, HostBufferOrNull(a.A3, 144)));
        Register(G.Waitid, "ddpxp", (SyscallArgs a) => Host(H.Waitid, (long)a.A0, (long)a.A1, HostBufferOrNull(a.A2, 128), (long)a.A3, HostBufferOrNull(a.A4, 144)));
        Register(G.Prctl, "dxxxx", SysPrctl);
        Register(G.Personality, "x", SysPersonality);
        // clone: ThreadSyscalls.cs, fork and execve: ExecSyscalls.cs. rseq is optional; glibc copes with ENOSYS.
        RegisterRefused(G.Clone3, ENOSYS, "glibc, musl, Go and Rust fall back to clone on ENOSYS; clone covers every flag they use");
        RegisterRefused(G.Rseq, ENOSYS, "restartable sequences would need the translator to abort guest critical sections; glibc copes with ENOSYS (the kernel may lack it too)");
    }

    private long SysPrctl(SyscallArgs a)
    {
        const int PrSetPdeathsig = 1, PrGetPdeathsig = 2, PrGetDumpable = 3, PrSetDumpable = 4, PrSetName = 15, PrGetName = 16,
            PrSetNoNewPrivs = 38, PrGetNoNewPrivs = 39, PrSetVma = 0x53564d41;
        switch ((int)a.A0)
        {
            case PrSetName or PrGetName:
                return Host(H.Prctl, (long)a.A0, HostBuffer(a.A1, 16));
            case PrGetPdeathsig:
                return Host(H.Prctl, (long)a.A0, HostBuffer(a.A1, 4));
            case PrSetPdeathsig or PrGetDumpable or PrSetDumpable or PrSetNoNewPrivs or PrGetNoNewPrivs:
                return Host(H.Prctl, (long)a.A0, (long)a.A1, (long)a.A2, (long)a.A3, (long)a.A4);
            case PrSetVma:
                return 0; // Naming anonymous memory is cosmetic.
            default:
                return -EINVAL;
        }
    }
}
