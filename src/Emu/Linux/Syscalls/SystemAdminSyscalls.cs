using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Administration syscalls: they go to the host kernel, which grants or refuses them by the user's
// privileges, as it would for a native program. struct timex (208 bytes) and timeval/timespec are the
// same on both.
public sealed unsafe partial class GuestProcess
{
    private void RegisterSystemAdminSyscalls()
    {
        Register(G.Sethostname, "pu", (SyscallArgs a) => Host(H.Sethostname, HostBuffer(a.A0, a.A1), (long)a.A1));
        Register(G.Setdomainname, "pu", (SyscallArgs a) => Host(H.Setdomainname, HostBuffer(a.A0, a.A1), (long)a.A1));
        Register(G.Settimeofday, "pp", (SyscallArgs a) => Host(H.Settimeofday, HostBufferOrNull(a.A0, 16), HostBufferOrNull(a.A1, 8)));
        Register(G.ClockSettime, "dp", (SyscallArgs a) => Host(H.ClockSettime, (long)a.A0, HostBuffer(a.A1, 16)));
        Register(G.Adjtimex, "p", (SyscallArgs a) => Host(H.Adjtimex, HostBuffer(a.A0, 208)));
        Register(G.ClockAdjtime, "dp", (SyscallArgs a) => Host(H.ClockAdjtime, (long)a.A0, HostBuffer(a.A1, 208)));
        // syslog(type, buf, len): only the read actions (2, 3, 4) use the buffer.
        Register(G.Syslog, "dpd", (SyscallArgs a) => Host(H.Syslog, (long)a.A0,
            (int)a.A0 is 2 or 3 or 4 ? HostBuffer(a.A1, (ulong)Math.Max(0, (int)a.A2)) : (long)a.A1, (long)a.A2));
        Register(G.Vhangup, "", (SyscallArgs a) => Host(H.Vhangup));
        Register(G.Acct, "s", (SyscallArgs a) => PathCall(a.A0, true, p => Host(H.Acct, p)));
        Register(G.Chroot, "s", (SyscallArgs a) => PathCall(a.A0, true, p => Host(H.Chroot, p)));
        Register(G.Swapon, "sx", (SyscallArgs a) => PathCall(a.A0, true, p => Host(H.Swapon, p, (long)a.A1)));
        Register(G.Swapoff, "s", (SyscallArgs a) => PathCall(a.A0, true, p => Host(H.Swapoff, p)));
        // mount(source, target, fstype, flags, data): data is a string for every file system but a few
        // binary ones (nfs v2/v3), which nobody mounts from a translated program; a page is passed.
        Register(G.Mount, "sssxp", (SyscallArgs a) => PathCall(a.A0, false, source => PathCall(a.A1, true, target =>
            PathCall(a.A2, false, type => Host(H.Mount, source, target, type, (long)a.A3, MountData(a.A4))))));
        Register(G.Umount2, "sx", (SyscallArgs a) => PathCall(a.A0, true, p => Host(H.Umount2, p, (long)a.A1)));
        Register(G.PivotRoot, "ss", (SyscallArgs a) => TwoPathCall(a.A0, a.A1, (p, q) => Host(H.PivotRoot, p, q)));
    }

    private long MountData(ulong guest)
    {
        if (guest == 0) return 0;
        // Up to a page, but not past the end of the mapping it starts in.
        var region = Memory.FindRegion(guest) ?? throw new Emu.Memory.GuestFaultException(guest);
        return HostBuffer(guest, Math.Min(Emu.Memory.GuestMemory.PageSize, region.End - guest));
    }
}
