using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Sockets. Socket addresses, options and control messages have the same layout on both 64-bit
// architectures; only struct msghdr carries guest pointers that must become host pointers.
public sealed unsafe partial class GuestProcess
{
    private const int MsghdrSize = 56;

    private void RegisterNetworkSyscalls()
    {
        // SOCK_NONBLOCK and SOCK_CLOEXEC are O_NONBLOCK and O_CLOEXEC, which are the same on both.
        Register(G.Socket, "ddd", (SyscallArgs a) => Host(H.Socket, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.Socketpair, "dddp", (SyscallArgs a) => Host(H.Socketpair, (long)a.A0, (long)a.A1, (long)a.A2, HostBuffer(a.A3, 8)));
        Register(G.Bind, "dpu", (SyscallArgs a) => Host(H.Bind, (long)a.A0, HostBuffer(a.A1, (uint)a.A2), (long)a.A2));
        Register(G.Connect, "dpu", (SyscallArgs a) => Host(H.Connect, (long)a.A0, HostBuffer(a.A1, (uint)a.A2), (long)a.A2));
        Register(G.Listen, "dd", (SyscallArgs a) => Host(H.Listen, (long)a.A0, (long)a.A1));
        Register(G.Accept, "dpp", (SyscallArgs a) => AddressOut(H.Accept4, a, 0));
        Register(G.Accept4, "dppx", (SyscallArgs a) => AddressOut(H.Accept4, a, (long)a.A3));
        Register(G.Getsockname, "dpp", (SyscallArgs a) => AddressOut(H.Getsockname, a, 0));
        Register(G.Getpeername, "dpp", (SyscallArgs a) => AddressOut(H.Getpeername, a, 0));
        Register(G.Sendto, "dpuxpu", (SyscallArgs a) =>
        {
            long buf = IoBuffer(a.A1, a.A2, out long len);
            return Host(H.Sendto, (long)a.A0, buf, len, (long)a.A3, HostBufferOrNull(a.A4, (uint)a.A5), (long)a.A5);
        });
        Register(G.Recvfrom, "dpuxpp", (SyscallArgs a) =>
        {
            long buf = IoBuffer(a.A1, a.A2, out long len);
            long addrLen = HostBufferOrNull(a.A5, 4);
            long addr = a.A4 == 0 ? 0 : HostBuffer(a.A4, a.A5 == 0 ? 0 : ReadGuestUInt32(a.A5));
            return Host(H.Recvfrom, (long)a.A0, buf, len, (long)a.A3, addr, addrLen);
        });
        Register(G.Setsockopt, "dddpu", (SyscallArgs a) => Host(H.Setsockopt, (long)a.A0, (long)a.A1, (long)a.A2, HostBufferOrNull(a.A3, (uint)a.A4), (long)a.A4));
        Register(G.Getsockopt, "dddpp", (SyscallArgs a) =>
        {
            uint optLen = ReadGuestUInt32(a.A4);
            return Host(H.Getsockopt, (long)a.A0, (long)a.A1, (long)a.A2, HostBufferOrNull(a.A3, optLen), HostBuffer(a.A4, 4));
        });
        Register(G.Shutdown, "dd", (SyscallArgs a) => Host(H.Shutdown, (long)a.A0, (long)a.A1));
        Register(G.Sendmsg, "dpx", (SyscallArgs a) => MessageIo(H.Sendmsg, a.A0, a.A1, a.A2));
        Register(G.Recvmsg, "dpx", (SyscallArgs a) => MessageIo(H.Recvmsg, a.A0, a.A1, a.A2));
    }

    /// <summary>accept4, getsockname, getpeername: (fd, struct sockaddr *addr, socklen_t *len[, flags]).</summary>
    private long AddressOut(int hostNumber, SyscallArgs a, long flags)
    {
        long len = HostBufferOrNull(a.A2, 4);
        long addr = a.A1 == 0 ? 0 : HostBuffer(a.A1, a.A2 == 0 ? 0 : ReadGuestUInt32(a.A2));
        return Host(hostNumber, (long)a.A0, addr, len, flags);
    }

    /// <summary>sendmsg/recvmsg: a host msghdr with host pointers; what the kernel updates is copied back.</summary>
    private long MessageIo(int hostNumber, ulong fd, ulong guestMsg, ulong flags)
    {
        const ulong IovMax = 1024;
        byte* gm = CheckedPointer(guestMsg, MsghdrSize, GuestProt.Read | (hostNumber == H.Recvmsg ? GuestProt.Write : GuestProt.None));
        ulong name = *(ulong*)gm, iov = *(ulong*)(gm + 16), iovLen = *(ulong*)(gm + 24), control = *(ulong*)(gm + 32);
        uint nameLen = *(uint*)(gm + 8);
        ulong controlLen = *(ulong*)(gm + 40);
        if (iovLen > IovMax) return -EMSGSIZE;

        byte* hm = stackalloc byte[MsghdrSize];
        new Span<byte>(hm, MsghdrSize).Clear();
        var hostIov = new ulong[Math.Max(1UL, iovLen) * 2];
        byte* giov = iovLen == 0 ? null : CheckedPointer(iov, iovLen * 16, GuestProt.Read);
        for (ulong i = 0; i < iovLen; i++)
        {
            hostIov[i * 2] = (ulong)IoBuffer(((ulong*)giov)[i * 2], ((ulong*)giov)[i * 2 + 1], out long len);
            hostIov[i * 2 + 1] = (ulong)len;
        }
        *(ulong*)hm = (ulong)HostBufferOrNull(name, nameLen);
        *(uint*)(hm + 8) = nameLen;
        *(ulong*)(hm + 24) = iovLen;
        *(ulong*)(hm + 32) = (ulong)HostBufferOrNull(control, controlLen);
        *(ulong*)(hm + 40) = controlLen;
        *(int*)(hm + 48) = *(int*)(gm + 48);
        long r;
        fixed (ulong* hiov = hostIov)
        {
            *(ulong*)(hm + 16) = iovLen == 0 ? 0 : (ulong)hiov;
            r = Host(hostNumber, (long)fd, (long)hm, (long)flags);
        }
        if (hostNumber == H.Recvmsg && r >= 0)
        {
            *(uint*)(gm + 8) = *(uint*)(hm + 8);
            *(ulong*)(gm + 40) = *(ulong*)(hm + 40);
            *(int*)(gm + 48) = *(int*)(hm + 48);
        }
        return r;
    }
}
