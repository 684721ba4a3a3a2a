using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// What the guest learns about the machine and its limits. sysinfo, rlimit, rusage and cpu sets have the
// same layout on both architectures; uname says aarch64.
public sealed unsafe partial class GuestProcess
{
    /// <summary>struct utsname: six fields of 65 bytes; machine is the fifth.</summary>
    private const int UtsFieldLength = 65, UtsMachineOffset = 4 * UtsFieldLength, UtsLength = 6 * UtsFieldLength;

    private void RegisterSystemInfoSyscalls()
    {
        Register(G.Uname, "p", SysUname);
        Register(G.Sysinfo, "p", (SyscallArgs a) => Host(H.Sysinfo, HostBuffer(a.A0, 112)));
        Register(G.Getrandom, "pux", (SyscallArgs a) => Host(H.Getrandom, HostBuffer(a.A0, a.A1), (long)a.A1, (long)a.A2));
        Register(G.Prlimit64, "ddpp", (SyscallArgs a) => Host(H.Prlimit64, (long)a.A0, (long)a.A1, HostBufferOrNull(a.A2, 16), HostBufferOrNull(a.A3, 16)));
        Register(G.Getrlimit, "dp", (SyscallArgs a) => Host(H.Getrlimit, (long)a.A0, HostBuffer(a.A1, 16)));
        Register(G.Setrlimit, "dp", (SyscallArgs a) => Host(H.Setrlimit, (long)a.A0, HostBuffer(a.A1, 16)));
        Register(G.Getrusage, "dp", (SyscallArgs a) => Host(H.Getrusage, (long)a.A0, HostBuffer(a.A1, 144)));
        Register(G.SchedGetaffinity, "dup", (SyscallArgs a) => Host(H.SchedGetaffinity, (long)a.A0, (long)a.A1, HostBuffer(a.A2, a.A1)));
        Register(G.SchedSetaffinity, "dup", (SyscallArgs a) => Host(H.SchedSetaffinity, (long)a.A0, (long)a.A1, HostBuffer(a.A2, a.A1)));
        Register(G.SchedGetscheduler, "d", (SyscallArgs a) => Host(H.SchedGetscheduler, (long)a.A0));
        Register(G.SchedGetparam, "dp", (SyscallArgs a) => Host(H.SchedGetparam, (long)a.A0, HostBuffer(a.A1, 4)));
        Register(G.SchedGetPriorityMax, "d", (SyscallArgs a) => Host(H.SchedGetPriorityMax, (long)a.A0));
        Register(G.SchedGetPriorityMin, "d", (SyscallArgs a) => Host(H.SchedGetPriorityMin, (long)a.A0));
        Register(G.Getcpu, "ppp", (SyscallArgs a) => Host(H.Getcpu, HostBufferOrNull(a.A0, 4), HostBufferOrNull(a.A1, 4), 0));
    }

    private long SysUname(SyscallArgs a)
    {
        byte* buf = stackalloc byte[UtsLength];
        long r = Host(H.Uname, (long)buf);
        if (r < 0) return r;
        var machine = new Span<byte>(buf + UtsMachineOffset, UtsFieldLength);
        machine.Clear();
        "aarch64"u8.CopyTo(machine);
        WriteGuestBytes(a.A0, new ReadOnlySpan<byte>(buf, UtsLength));
        return 0;
    }
}
