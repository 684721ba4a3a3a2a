using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Emu.Linux.Native;

namespace Emu.Memory;

/// <summary>Guest page protections, with Linux's PROT_* values (the same on aarch64 and x86_64).</summary>
[Flags]
public enum GuestProt
{
    None = 0,
    Read = 1,
    Write = 2,
    Exec = 4,
}

/// <summary>One mapped range of the guest address space, as /proc/self/maps will show it.</summary>
public sealed record GuestRegion(ulong Start, ulong End, GuestProt Prot, string Name)
{
    public ulong Length => End - Start;
}

/// <summary>
/// The guest address space: one host reservation (PROT_NONE, MAP_NORESERVE) of 2^AddressBits bytes and a
/// guard on each side (<see cref="GuardSize"/> below, <see cref="UpperGuardSize"/> above); guest address g lives
/// at host Base + g. Translated code confines every address with <see cref="Mask"/>, so no guest pointer reaches
/// the translator's own memory.
/// Keeps a page-granular record of what is mapped with which protection.
/// </summary>
public sealed unsafe class GuestMemory : IDisposable
{
    public const ulong PageSize = 4096;
    public const int DefaultAddressBits = 40;

    public byte* Base { get; }

    /// <summary>
    /// Where the reservation goes when that range is free: a Base below 2 GiB is a 32-bit displacement, so Tier 1
    /// code adds it in the x86 addressing mode instead of keeping it in a host register (one more for guest values).
    /// </summary>
    public const ulong LowBase = 0x1000_0000;

    /// <summary>True if <see cref="Base"/> fits an x86 displacement together with any offset Tier 1 adds to a masked address.</summary>
    public bool BaseIsDisplacement => (ulong)Base + (ulong)MaxUnmaskedOffset < int.MaxValue;
    public ulong Size { get; }
    public ulong Mask => Size - 1;

    /// <summary>Bytes of the whole host reservation, from Base - <see cref="GuardSize"/> on (the guards included).</summary>
    public ulong ReservedSize => GuardSize + Size + UpperGuardSize;

    /// <summary>
    /// PROT_NONE bytes reserved below Base, never mapped (above Base + Size: <see cref="UpperGuardSize"/>). Tier 1
    /// code may add a constant offset of at most <see cref="MaxUnmaskedOffset"/> either way (and an access's size)
    /// after masking a base register: the masked base of a stack frame or a table is then computed once for all its
    /// accesses, and what the offset reaches beyond the masked range still faults inside the reservation.
    /// </summary>
    public const ulong GuardSize = 2UL << 20;

    /// <summary>Bits of the largest value (never negative, not a constant) Tier 1 adds to a masked address: a 32-bit index scaled by up to 4.</summary>
    public const int MaxUnmaskedValueBits = 34;

    /// <summary>The largest value (never negative, not a constant) Tier 1 adds to a masked address (see <see cref="UpperGuardSize"/>).</summary>
    public const long MaxUnmaskedValue = (1L << MaxUnmaskedValueBits) - 1;

    /// <summary>
    /// PROT_NONE bytes reserved above Base + Size: a masked base near the top plus a 32-bit index scaled by up to 4
    /// (and a constant offset and an access) still faults inside the reservation.
    /// </summary>
    public const ulong UpperGuardSize = (1UL << MaxUnmaskedValueBits) + GuardSize;

    /// <summary>The largest offset (either sign) Tier 1 adds to a masked address (see <see cref="GuardSize"/>).</summary>
    public const long MaxUnmaskedOffset = 1L << 20;

    private readonly object _lock = new();
    // Sorted by start; non-overlapping; page-aligned.
    private readonly List<GuestRegion> _regions = new();

    /// <summary>Raised after guest mappings change, with the affected [start, end) (code cache invalidation).</summary>
    public event Action<ulong, ulong>? MappingChanged;

    public GuestMemory(int addressBits = DefaultAddressBits)
    {
        Size = 1UL << addressBits;
        // At LowBase when that range is free (the kernel refuses rather than replaces: another reservation in this
        // process may hold it), else wherever the host puts it.
        nint p = LibC.Mmap((nint)(LowBase - GuardSize), (nuint)ReservedSize, LibC.PROT_NONE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE | LibC.MAP_FIXED_NOREPLACE, -1, 0);
        if (p == LibC.MAP_FAILED)
            p = LibC.Mmap(0, (nuint)ReservedSize, LibC.PROT_NONE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
        if (p == LibC.MAP_FAILED)
            throw new InvalidOperationException($"cannot reserve {Size >> 30} GiB of address space for the guest");
        Base = (byte*)p + GuardSize;
    }

    public void Dispose() => LibC.Munmap((nint)(Base - GuardSize), (nuint)ReservedSize);

    public static ulong PageAlignDown(ulong a) => a & ~(PageSize - 1);
    public static ulong PageAlignUp(ulong a) => (a + PageSize - 1) & ~(PageSize - 1);

    /// <summary>True if [address, address+length) lies inside the reservation (not whether it is mapped).</summary>
    public bool InRange(ulong address, ulong length) => address < Size && length <= Size - address;

    /// <summary>Host pointer for a guest address (confined, unchecked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* HostPointer(ulong address) => Base + (address & Mask);

    public IReadOnlyList<GuestRegion> Regions
    {
        get { lock (_lock) return _regions.ToArray(); }
    }

    /// <summary>True if every page of the range is mapped with at least <paramref name="prot"/>.</summary>
    public bool IsAccessible(ulong address, ulong length, GuestProt prot)
    {
        if (length == 0) return InRange(address, 0);
        if (!InRange(address, length)) return false;
        ulong end = address + length;
        lock (_lock)
        {
            // Asked for every fetched instruction and every syscall buffer: a binary search, not a walk of all regions.
            var regions = CollectionsMarshal.AsSpan(_regions);
            ulong cur = address;
            for (int i = FirstEndingAbove(regions, address); i < regions.Length; i++)
            {
                var r = regions[i];
                if (r.Start > cur || (r.Prot & prot) != prot) return false;
                cur = r.End;
                if (cur >= end) return true;
            }
            return false;
        }
    }

    /// <summary>The index of the first region that ends above <paramref name="address"/> (regions are sorted and disjoint).</summary>
    private static int FirstEndingAbove(ReadOnlySpan<GuestRegion> regions, ulong address)
    {
        int lo = 0, hi = regions.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (regions[mid].End <= address) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public GuestRegion? FindRegion(ulong address)
    {
        lock (_lock)
        {
            var regions = CollectionsMarshal.AsSpan(_regions);
            int i = FirstEndingAbove(regions, address);
            return i < regions.Length && regions[i].Start <= address ? regions[i] : null;
        }
    }

    /// <summary>
    /// Maps [address, address+length) (page-aligned) at a fixed place: anonymous zero pages, or
    /// <paramref name="fd"/> at <paramref name="offset"/> with host mmap flags <paramref name="hostFlags"/>.
    /// Returns 0 or -errno.
    /// </summary>
    public long MapFixed(ulong address, ulong length, GuestProt prot, string name, int fd = -1, long offset = 0, int hostFlags = LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS)
    {
        length = PageAlignUp(length);
        if ((address & (PageSize - 1)) != 0 || length == 0 || !InRange(address, length)) return -22; // EINVAL
        nint want = (nint)(Base + address);
        nint got = LibC.Mmap(want, (nuint)length, (int)prot, hostFlags | LibC.MAP_FIXED, fd, offset);
        if (got == LibC.MAP_FAILED) return -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        lock (_lock) SetRange(address, address + length, r => new GuestRegion(address, address + length, prot, name));
        MappingChanged?.Invoke(address, address + length);
        return 0;
    }

    /// <summary>Returns [address, address+length) to the reservation (PROT_NONE). Returns 0 or -errno.</summary>
    public long Unmap(ulong address, ulong length)
    {
        length = PageAlignUp(length);
        if ((address & (PageSize - 1)) != 0 || !InRange(address, length)) return -22;
        if (length == 0) return -22;
        nint got = LibC.Mmap((nint)(Base + address), (nuint)length, LibC.PROT_NONE,
            LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE | LibC.MAP_FIXED, -1, 0);
        if (got == LibC.MAP_FAILED) return -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        lock (_lock) SetRange(address, address + length, null);
        MappingChanged?.Invoke(address, address + length);
        return 0;
    }

    /// <summary>Changes the protection of mapped pages. Returns 0 or -errno (ENOMEM if a page is unmapped).</summary>
    public long Protect(ulong address, ulong length, GuestProt prot)
    {
        length = PageAlignUp(length);
        if ((address & (PageSize - 1)) != 0 || !InRange(address, length)) return -22;
        if (length == 0) return 0;
        if (!IsAccessible(address, length, GuestProt.None)) return -12; // ENOMEM
        if (LibC.Mprotect((nint)(Base + address), (nuint)length, (int)prot) != 0)
            return -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        lock (_lock)
        {
            // A loop, not LINQ: this runs at every start (the loader), and System.Linq would be loaded for it.
            var names = new List<GuestRegion>();
            foreach (var r in _regions)
                if (r.End > address && r.Start < address + length) names.Add(r);
            foreach (var r in names)
            {
                ulong s = Math.Max(r.Start, address), e = Math.Min(r.End, address + length);
                SetRange(s, e, _ => new GuestRegion(s, e, prot, r.Name));
            }
        }
        MappingChanged?.Invoke(address, address + length);
        return 0;
    }

    /// <summary>
    /// Finds a free, page-aligned range of <paramref name="length"/> bytes, searching down from
    /// <paramref name="below"/> (top-down, as Linux's mmap does). Returns 0 if none.
    /// </summary>
    public ulong FindFree(ulong length, ulong below, ulong above = 0x10000)
    {
        length = PageAlignUp(length);
        lock (_lock)
        {
            ulong top = PageAlignDown(Math.Min(below, Size));
            for (int i = _regions.Count - 1; i >= -1; i--)
            {
                ulong gapStart = i >= 0 ? _regions[i].End : above;
                if (i >= 0 && _regions[i].Start >= top) continue;
                if (top >= gapStart + length && top - length >= above) return top - length;
                if (i >= 0) top = Math.Min(top, _regions[i].Start);
            }
        }
        return 0;
    }

    // Replaces the record for [start, end) with the region made by 'make' (or nothing), splitting neighbours.
    private void SetRange(ulong start, ulong end, Func<GuestRegion?, GuestRegion>? make)
    {
        var result = new List<GuestRegion>(_regions.Count + 2);
        foreach (var r in _regions)
        {
            if (r.End <= start || r.Start >= end)
            {
                result.Add(r);
                continue;
            }
            if (r.Start < start) result.Add(r with { End = start });
            if (r.End > end) result.Add(r with { Start = end });
        }
        if (make != null) result.Add(make(null));
        result.Sort((a, b) => a.Start.CompareTo(b.Start));
        _regions.Clear();
        // Merge neighbours that are identical apart from their bounds.
        foreach (var r in result)
        {
            if (_regions.Count > 0 && _regions[^1].End == r.Start && _regions[^1].Prot == r.Prot && _regions[^1].Name == r.Name)
                _regions[^1] = _regions[^1] with { End = r.End };
            else
                _regions.Add(r);
        }
    }

    // Accessors for the translator's own use (loader, syscalls). They check the range is inside the
    // reservation; callers that need EFAULT semantics check IsAccessible first.

    public Span<byte> GetSpan(ulong address, int length)
    {
        if (!InRange(address, (ulong)length)) throw new GuestFaultException(address);
        return new Span<byte>(Base + address, length);
    }

    public T Read<T>(ulong address) where T : unmanaged
    {
        if (!InRange(address, (ulong)sizeof(T))) throw new GuestFaultException(address);
        return Unsafe.ReadUnaligned<T>(Base + address);
    }

    public void Write<T>(ulong address, T value) where T : unmanaged
    {
        if (!InRange(address, (ulong)sizeof(T))) throw new GuestFaultException(address);
        Unsafe.WriteUnaligned(Base + address, value);
    }

    // Primitive forms: see GuestProcess.ReadGuestUInt64 (generic instantiations over primitives are JIT compiled).
    public void Write(ulong address, uint value)
    {
        if (!InRange(address, 4)) throw new GuestFaultException(address);
        Unsafe.WriteUnaligned(Base + address, value);
    }

    public void Write(ulong address, ulong value)
    {
        if (!InRange(address, 8)) throw new GuestFaultException(address);
        Unsafe.WriteUnaligned(Base + address, value);
    }

    public void WriteBytes(ulong address, ReadOnlySpan<byte> data) => data.CopyTo(GetSpan(address, data.Length));

    /// <summary>Reads a NUL-terminated string of at most <paramref name="max"/> bytes; null if not readable.</summary>
    public string? ReadCString(ulong address, int max = 4096) =>
        TryFindCStringEnd(address, max - 1, out int length, out _) && length >= 0 ? Encoding.UTF8.GetString(Base + address, length) : null;

    /// <summary>
    /// Finds the NUL that ends the string at <paramref name="address"/>, a page at a time (each page checked once,
    /// then searched with a vector search). <paramref name="length"/> is the string's length without the NUL, or -1
    /// if none of its first <paramref name="maxLength"/> + 1 bytes is NUL. False if a page before the NUL cannot be
    /// read; <paramref name="unreadable"/> is then the first address in it.
    /// </summary>
    public bool TryFindCStringEnd(ulong address, int maxLength, out int length, out ulong unreadable)
    {
        unreadable = 0;
        for (length = 0; length <= maxLength;)
        {
            ulong a = address + (ulong)length;
            if (!IsAccessible(a, 1, GuestProt.Read))
            {
                unreadable = a;
                return false;
            }
            int chunk = (int)Math.Min(PageSize - (a & (PageSize - 1)), (ulong)(maxLength + 1 - length));
            int nul = new ReadOnlySpan<byte>(HostPointer(a), chunk).IndexOf((byte)0);
            if (nul >= 0)
            {
                length += nul;
                return true;
            }
            length += chunk;
        }
        length = -1;
        return true;
    }
}

/// <summary>A guest address the translator itself tried to touch lies outside the guest space or is unmapped.</summary>
public sealed class GuestFaultException(ulong address) : Exception($"guest address 0x{address:x} is not accessible")
{
    public ulong Address { get; } = address;
}
