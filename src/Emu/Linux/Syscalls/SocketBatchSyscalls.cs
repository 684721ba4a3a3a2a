using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// recvmmsg and sendmmsg: one sendmsg/recvmsg per struct mmsghdr (a msghdr and the byte count, 64 bytes).
public sealed unsafe partial class GuestProcess
{
    private const int MmsghdrSize = 64, MsgDontwait = 0x40, MsgWaitforone = 0x10000;

    private void RegisterSocketBatchSyscalls()
    {
        Register(G.Sendmmsg, "dpux", (SyscallArgs a) => MultiMessageIo(H.Sendmsg, a.A0, a.A1, a.A2, a.A3, 0));
        Register(G.Recvmmsg, "dpuxp", (SyscallArgs a) => MultiMessageIo(H.Recvmsg, a.A0, a.A1, a.A2, a.A3, a.A4));
    }

    private long MultiMessageIo(int hostNumber, ulong fd, ulong vector, ulong count, ulong flags, ulong timeout)
    {
        const ulong UioMaxIov = 1024;
        count = Math.Min(count, UioMaxIov);
        // recvmmsg's timeout is checked between messages, as Linux does; it never interrupts a wait.
        long deadline = 0;
        if (timeout != 0)
        {
            long seconds = ReadGuestInt64(timeout), nanoseconds = ReadGuestInt64(timeout + 8);
            if (seconds < 0 || (ulong)nanoseconds >= 1_000_000_000) return -EINVAL;
            deadline = Environment.TickCount64 + seconds * 1000 + nanoseconds / 1_000_000;
        }
        CheckedPointer(vector, count * MmsghdrSize, GuestProt.Read | GuestProt.Write);
        ulong done = 0;
        for (; done < count; done++)
        {
            ulong entry = vector + done * MmsghdrSize;
            // After the first message, MSG_WAITFORONE stops waiting for more.
            ulong callFlags = flags & ~(ulong)MsgWaitforone;
            if ((flags & MsgWaitforone) != 0 && done > 0) callFlags |= MsgDontwait;
            long r = MessageIo(hostNumber, fd, entry, callFlags);
            if (r < 0)
            {
                // An error after some messages ends the batch with their count (the error comes next time).
                if (done > 0) break;
                return r;
            }
            if (hostNumber == H.Recvmsg && FdTable.Limit != 0) AdoptReceivedFds(entry);
            WriteGuest(entry + 56, (uint)r);
            if (timeout != 0 && Environment.TickCount64 >= deadline) { done++; break; }
        }
        return (long)done;
    }
}
