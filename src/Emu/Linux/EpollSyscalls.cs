using System.Runtime.InteropServices;
using Emu.Linux.Abi;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// epoll: the event structure differs in size, so events are converted on the way in and out.
public sealed unsafe partial class GuestProcess
{
    private void RegisterEpollSyscalls()
    {
        Register(G.EpollCreate1, "x", (SyscallArgs a) => Host(H.EpollCreate1, OpenFlags.GuestToHost((int)a.A0)));
        Register(G.EpollCtl, "dddp", SysEpollCtl);
        Register(G.EpollPwait, "dpddpu", (SyscallArgs a) => EpollWait(a, timespec: false));
        Register(G.EpollPwait2, "dpdppu", (SyscallArgs a) => EpollWait(a, timespec: true));
    }

    private long SysEpollCtl(SyscallArgs a)
    {
        const int EpollCtlDel = 2;
        byte* hostEvent = stackalloc byte[EpollEventConverter.HostSize];
        if (a.A3 == 0 && (int)a.A1 != EpollCtlDel) return -EFAULT;
        if (a.A3 != 0)
            EpollEventConverter.GuestToHost(CheckedPointer(a.A3, EpollEventConverter.GuestSize, GuestProt.Read), hostEvent);
        return Host(H.EpollCtl, (long)a.A0, (long)a.A1, (long)a.A2, a.A3 == 0 ? 0 : (long)hostEvent);
    }

    private long EpollWait(SyscallArgs a, bool timespec)
    {
        int maxEvents = (int)a.A2;
        if (maxEvents <= 0 || maxEvents > int.MaxValue / EpollEventConverter.GuestSize) return -EINVAL;
        byte* guest = CheckedPointer(a.A1, (ulong)maxEvents * EpollEventConverter.GuestSize, GuestProt.Write);
        long timeout = timespec ? HostBufferOrNull(a.A3, 16) : (long)a.A3;
        // The sigmask is the calling guest thread's (SignalSyscalls), not the host thread's.
        long early = SetTemporaryMaskFromGuest(a.A4, a.A5);
        if (early != 0) return early;
        byte* host = (byte*)NativeMemory.Alloc((nuint)maxEvents * EpollEventConverter.HostSize);
        try
        {
            long n = Host(timespec ? H.EpollPwait2 : H.EpollPwait, (long)a.A0, (long)host, maxEvents, timeout, 0, 8);
            for (long i = 0; i < n; i++)
                EpollEventConverter.HostToGuest(host + i * EpollEventConverter.HostSize, guest + i * EpollEventConverter.GuestSize);
            return n;
        }
        finally
        {
            NativeMemory.Free(host);
        }
    }
}
