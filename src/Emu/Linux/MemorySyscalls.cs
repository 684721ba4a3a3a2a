using Emu.Linux.Native;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// The guest address space: brk, mmap and friends, all inside the one host reservation.
public sealed unsafe partial class GuestProcess
{
    private const ulong MapShared = 0x01, MapPrivate = 0x02, MapSharedValidate = 0x03, MapTypeMask = 0x0f,
        MapFixed = 0x10, MapAnonymous = 0x20, MapFixedNoReplace = 0x100000;
    private const ulong MremapMayMove = 1, MremapFixed = 2, MremapDontUnmap = 4;
    private const int MadvDontNeed = 4, MadvFree = 8, MadvRemove = 9, MadvHugePage = 14, MadvNoHugePage = 15;
    private const ulong HugePageMinLength = 8 << 20, MapStack = 0x20000;
    // PROT_BTI (0x10) and PROT_MTE (0x20) are aarch64-only hints the host has no use for.
    private const ulong ProtKnown = 0x7, ProtArmOnly = 0x30;
    private const string HeapName = "[heap]";

    // Serializes the guest's mapping calls: finding free space and mapping it must be one step, or two threads'
    // mmaps (glibc creating arenas for new threads at once) get the same range.
    private readonly object _mappingLock = new();

    /// <summary>
    /// Enters <see cref="_mappingLock"/> until the returned scope is disposed. fork holds it (a thread parked
    /// inside it would leave the child a lock no thread can release); a thread waiting for it meanwhile parks.
    /// </summary>
    private MappingLockScope LockMappings()
    {
        EnterParkingForFork(_mappingLock);
        return new MappingLockScope(_mappingLock);
    }

    private readonly struct MappingLockScope(object lockObject) : IDisposable
    {
        public void Dispose() => Monitor.Exit(lockObject);
    }

    // End of the pages mapped for the heap (the break rounded up).
    private ulong _brkMappedEnd;

    private void RegisterMemorySyscalls()
    {
        Register(G.Brk, "p", (SyscallArgs a) => { using (LockMappings()) return (long)SysBrk(a.A0); }, hexResult: true);
        Register(G.Mmap, "pxxxdx", (SyscallArgs a) => { using (LockMappings()) return SysMmap(a); }, hexResult: true);
        Register(G.Munmap, "px", (SyscallArgs a) => { using (LockMappings()) return SysMunmap(a.A0, a.A1); });
        Register(G.Mprotect, "pxx", (SyscallArgs a) => { using (LockMappings()) return SysMprotect(a.A0, a.A1, a.A2); });
        Register(G.Mremap, "pxxxp", (SyscallArgs a) => { using (LockMappings()) return SysMremap(a); }, hexResult: true);
        Register(G.Madvise, "pxd", SysMadvise);
        Register(G.Msync, "pxx", (SyscallArgs a) => RangeMapped(a.A0, a.A1) ? Host(H.Msync, HostBuffer(a.A0, a.A1), (long)a.A1, (long)a.A2) : -ENOMEM);
        Register(G.Mincore, "pxp", (SyscallArgs a) => Host(H.Mincore, HostBuffer(a.A0, a.A1), (long)a.A1,
            HostBuffer(a.A2, (GuestMemory.PageAlignUp(a.A1) / GuestMemory.PageSize))));
        Register(G.Mlock, "px", (SyscallArgs a) => RangeMapped(a.A0, a.A1) ? 0 : -ENOMEM);
        Register(G.Munlock, "px", (SyscallArgs a) => RangeMapped(a.A0, a.A1) ? 0 : -ENOMEM);
        Register(G.Mlock2, "pxx", (SyscallArgs a) => RangeMapped(a.A0, a.A1) ? 0 : -ENOMEM);
        Register(G.Mlockall, "x", (SyscallArgs a) => 0);
        Register(G.Munlockall, "", (SyscallArgs a) => 0);
        Register(G.Membarrier, "ddd", (SyscallArgs a) => Host(H.Membarrier, (long)a.A0, (long)a.A1, (long)a.A2));
    }

    private bool RangeMapped(ulong start, ulong length)
    {
        ulong s = GuestMemory.PageAlignDown(start);
        ulong e = GuestMemory.PageAlignUp(start + length);
        return e > s && Memory.IsAccessible(s, e - s, GuestProt.None);
    }

    /// <summary>True if no page of [start, start+length) is mapped (and the range lies in the reservation).</summary>
    private bool RangeFree(ulong start, ulong length)
    {
        if (!Memory.InRange(start, length)) return false;
        foreach (var r in Memory.Regions)
            if (r.Start < start + length && r.End > start) return false;
        return true;
    }

    private ulong SysBrk(ulong requested)
    {
        if (requested < BrkStart) return BrkCurrent;
        ulong newEnd = GuestMemory.PageAlignUp(requested);
        if (newEnd > _brkMappedEnd)
        {
            // Never grow over another mapping; on failure Linux leaves the break where it was.
            if (!RangeFree(_brkMappedEnd, newEnd - _brkMappedEnd)) return BrkCurrent;
            if (Memory.MapFixed(_brkMappedEnd, newEnd - _brkMappedEnd, GuestProt.Read | GuestProt.Write, HeapName) != 0) return BrkCurrent;
        }
        else if (newEnd < _brkMappedEnd)
        {
            if (Memory.Unmap(newEnd, _brkMappedEnd - newEnd) != 0) return BrkCurrent;
        }
        _brkMappedEnd = newEnd;
        BrkCurrent = requested;
        return requested;
    }

    private static bool TryGuestProt(ulong prot, out GuestProt result)
    {
        result = (GuestProt)(prot & ProtKnown);
        return (prot & ~(ProtKnown | ProtArmOnly)) == 0;
    }

    private long SysMmap(SyscallArgs a)
    {
        ulong addr = a.A0, length = a.A1, prot = a.A2, flags = a.A3, offset = a.A5;
        int fd = (int)a.A4;
        if (length == 0 || (offset & (GuestMemory.PageSize - 1)) != 0) return -EINVAL;
        if (!TryGuestProt(prot, out var gprot)) return -EINVAL;
        ulong type = flags & MapTypeMask;
        if (type != MapShared && type != MapPrivate && type != MapSharedValidate) return -EINVAL;
        ulong len = GuestMemory.PageAlignUp(length);
        if (len == 0 || len > Memory.Size) return -ENOMEM;
        bool anonymous = (flags & MapAnonymous) != 0;

        ulong where;
        if ((flags & (MapFixed | MapFixedNoReplace)) != 0)
        {
            if ((addr & (GuestMemory.PageSize - 1)) != 0) return -EINVAL;
            if (!Memory.InRange(addr, len)) return -ENOMEM;
            if ((flags & MapFixed) == 0 && !RangeFree(addr, len)) return -EEXIST;
            where = addr;
        }
        else
        {
            ulong hint = GuestMemory.PageAlignDown(addr);
            where = hint != 0 && RangeFree(hint, len) ? hint : FindMmapSpace(len);
            if (where == 0) return -ENOMEM;
        }

        int hostFlags = (int)(type == MapPrivate ? MapPrivate : type);
        string name = "";
        long hostOffset = 0;
        int hostFd = -1;
        if (anonymous) hostFlags |= LibC.MAP_ANONYMOUS;
        else
        {
            hostFd = fd;
            hostOffset = (long)offset;
            name = FdPath(fd) ?? "";
        }
        long r = Memory.MapFixed(where, len, gprot, name, hostFd, hostOffset, hostFlags);
        if (r < 0) return r;
        // Large anonymous data mappings (malloc's big blocks) get transparent huge pages where the host
        // gives them only on request: walks over tens of MiB are TLB-bound (pointer_chase uses ~15%
        // less CPU). Not thread stacks or PROT_NONE reservations, whose pages are touched sparsely: huge
        // pages there would only grow RSS.
        if (anonymous && len >= HugePageMinLength && prot != 0 && (flags & MapStack) == 0)
            Host(H.Madvise, HostBuffer(where, len), (long)len, MadvHugePage);
        return (long)where;
    }

    /// <summary>
    /// Where mmap puts a mapping the guest did not place: top-down in the mmap area, then anywhere above
    /// the first 64 KiB (small address spaces, or a full mmap area). 0 if nothing is free.
    /// </summary>
    private ulong FindMmapSpace(ulong length)
    {
        ulong where = Memory.FindFree(length, GuestLayout.MmapTop, GuestLayout.MmapBottom);
        return where != 0 ? where : Memory.FindFree(length, GuestLayout.MmapTop, 0x10000);
    }

    /// <summary>The path an open fd refers to (for mapping names), or null.</summary>
    private static string? FdPath(int fd)
    {
        try { return new FileInfo($"/proc/self/fd/{fd}").LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private long SysMunmap(ulong addr, ulong length)
    {
        if ((addr & (GuestMemory.PageSize - 1)) != 0 || length == 0) return -EINVAL;
        ulong len = GuestMemory.PageAlignUp(length);
        if (!Memory.InRange(addr, len)) return -EINVAL;
        return Memory.Unmap(addr, len);
    }

    private long SysMprotect(ulong addr, ulong length, ulong prot)
    {
        if ((addr & (GuestMemory.PageSize - 1)) != 0) return -EINVAL;
        if (!TryGuestProt(prot, out var gprot)) return -EINVAL;
        ulong len = GuestMemory.PageAlignUp(length);
        if (len == 0) return 0;
        if (!Memory.InRange(addr, len)) return -ENOMEM;
        return Memory.Protect(addr, len, gprot);
    }

    private long SysMadvise(SyscallArgs a)
    {
        ulong addr = a.A0, length = a.A1;
        int advice = (int)a.A2;
        if ((addr & (GuestMemory.PageSize - 1)) != 0) return -EINVAL;
        ulong len = GuestMemory.PageAlignUp(length);
        if (len == 0) return 0;
        if (!RangeMapped(addr, len)) return -ENOMEM;
        // DONTNEED must really drop the pages (allocators rely on reading zeros afterwards); the host
        // does exactly that for the same pages. Other advice is only a hint.
        if (advice is MadvDontNeed or MadvFree or MadvRemove or MadvHugePage or MadvNoHugePage)
            return Host(H.Madvise, HostBuffer(addr, len), (long)len, advice);
        return 0;
    }

    private long SysMremap(SyscallArgs a)
    {
        ulong oldAddr = a.A0, oldLength = a.A1, newLength = a.A2, flags = a.A3, newAddr = a.A4;
        if ((oldAddr & (GuestMemory.PageSize - 1)) != 0) return -EINVAL;
        if ((flags & ~(MremapMayMove | MremapFixed | MremapDontUnmap)) != 0) return -EINVAL;
        if ((flags & MremapFixed) != 0 && (flags & MremapMayMove) == 0) return -EINVAL;
        if ((flags & MremapDontUnmap) != 0) return -EINVAL; // Rarely used; not supported yet.
        ulong oldLen = GuestMemory.PageAlignUp(oldLength), newLen = GuestMemory.PageAlignUp(newLength);
        if (newLen == 0 || oldLen == 0) return -EINVAL;
        if (!Memory.InRange(oldAddr, oldLen) || !RangeMapped(oldAddr, oldLen)) return -EFAULT;
        var region = Memory.FindRegion(oldAddr)!;

        if ((flags & MremapFixed) != 0)
        {
            if ((newAddr & (GuestMemory.PageSize - 1)) != 0 || !Memory.InRange(newAddr, newLen)) return -EINVAL;
            if (newAddr < oldAddr + oldLen && oldAddr < newAddr + newLen) return -EINVAL;
            long r = MoveMapping(oldAddr, oldLen, newAddr, newLen, region);
            return r < 0 ? r : (long)newAddr;
        }

        if (newLen <= oldLen)
        {
            if (newLen < oldLen)
            {
                long r = Memory.Unmap(oldAddr + newLen, oldLen - newLen);
                if (r < 0) return r;
            }
            return (long)oldAddr;
        }

        // Grow in place when the pages after it are free. Anonymous memory only: a file mapping's
        // tail would have to come from the file.
        ulong tail = oldAddr + oldLen, extra = newLen - oldLen;
        var last = Memory.FindRegion(tail - 1)!;
        if (!last.Name.StartsWith('/') && RangeFree(tail, extra))
        {
            long r = Memory.MapFixed(tail, extra, last.Prot, last.Name);
            return r < 0 ? r : (long)oldAddr;
        }
        if ((flags & MremapMayMove) == 0) return -ENOMEM;
        ulong dest = FindMmapSpace(newLen);
        if (dest == 0) return -ENOMEM;
        long moved = MoveMapping(oldAddr, oldLen, dest, newLen, region);
        return moved < 0 ? moved : (long)dest;
    }

    /// <summary>
    /// Moves [oldAddr, +oldLen) to [newAddr, +newLen): the host kernel moves the pages (keeping file
    /// backing and contents); if it refuses (the range spans several host mappings), copy instead.
    /// </summary>
    private long MoveMapping(ulong oldAddr, ulong oldLen, ulong newAddr, ulong newLen, GuestRegion region)
    {
        // Record the destination first (this also replaces whatever was there), then move onto it.
        long r = Memory.MapFixed(newAddr, newLen, GuestProt.Read | GuestProt.Write, region.Name);
        if (r < 0) return r;
        nint moved = LibC.Mremap((nint)Memory.HostPointer(oldAddr), (nuint)oldLen, (nuint)newLen,
            (int)(MremapMayMove | MremapFixed), (nint)Memory.HostPointer(newAddr));
        if (moved == LibC.MAP_FAILED)
        {
            ulong copy = Math.Min(oldLen, newLen);
            if (!Memory.IsAccessible(oldAddr, copy, GuestProt.Read))
                Memory.Protect(oldAddr, oldLen, region.Prot | GuestProt.Read);
            Buffer.MemoryCopy(Memory.HostPointer(oldAddr), Memory.HostPointer(newAddr), copy, copy);
        }
        // The old pages are gone from the host (or copied): give them back to the reservation.
        Memory.Unmap(oldAddr, oldLen);
        if (region.Prot != (GuestProt.Read | GuestProt.Write)) Memory.Protect(newAddr, newLen, region.Prot);
        return 0;
    }
}
