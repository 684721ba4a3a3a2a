using System.Runtime.CompilerServices;
using System.Text;
using Emu.Memory;

namespace Emu.Linux;

// Turning guest pointers into host pointers. Every failure throws GuestFaultException, which the
// dispatcher of syscalls turns into -EFAULT for the guest.
public sealed unsafe partial class GuestProcess
{
    public const int PathMax = 4096;

    /// <summary>
    /// Host address of a guest buffer handed straight to a host syscall. Only the reservation bounds are
    /// checked: the host kernel itself answers EFAULT for unmapped (PROT_NONE) pages inside it.
    /// </summary>
    internal long HostBuffer(ulong guest, ulong length)
    {
        if (!Memory.InRange(guest, length)) throw new GuestFaultException(guest);
        return (long)Memory.HostPointer(guest);
    }

    /// <summary>As <see cref="HostBuffer"/>, but guest NULL stays NULL (optional arguments).</summary>
    internal long HostBufferOrNull(ulong guest, ulong length) => guest == 0 ? 0 : HostBuffer(guest, length);

    /// <summary>Host address of a guest buffer the translator itself reads or writes: must be mapped with <paramref name="prot"/>.</summary>
    internal byte* CheckedPointer(ulong guest, ulong length, GuestProt prot)
    {
        if (!Memory.IsAccessible(guest, length, prot)) throw new GuestFaultException(guest);
        return Memory.HostPointer(guest);
    }

    internal T ReadGuest<T>(ulong guest) where T : unmanaged =>
        Unsafe.ReadUnaligned<T>(CheckedPointer(guest, (ulong)sizeof(T), GuestProt.Read));

    internal void WriteGuest<T>(ulong guest, T value) where T : unmanaged =>
        Unsafe.WriteUnaligned(CheckedPointer(guest, (ulong)sizeof(T), GuestProt.Write), value);

    // The primitive forms, not ReadGuest<ulong> and the like: ReadyToRun precompiles a generic method only
    // over the translator's own types (its version bubble), so each instantiation over a primitive was JIT
    // compiled at its first use in every process, and in every fork child that reached it first (~0.3 ms each).
    // C# picks these overloads of WriteGuest over the generic one.
    internal uint ReadGuestUInt32(ulong guest) => Unsafe.ReadUnaligned<uint>(CheckedPointer(guest, 4, GuestProt.Read));

    internal ulong ReadGuestUInt64(ulong guest) => Unsafe.ReadUnaligned<ulong>(CheckedPointer(guest, 8, GuestProt.Read));

    internal long ReadGuestInt64(ulong guest) => Unsafe.ReadUnaligned<long>(CheckedPointer(guest, 8, GuestProt.Read));

    internal void WriteGuest(ulong guest, int value) => Unsafe.WriteUnaligned(CheckedPointer(guest, 4, GuestProt.Write), value);

    internal void WriteGuest(ulong guest, uint value) => Unsafe.WriteUnaligned(CheckedPointer(guest, 4, GuestProt.Write), value);

    internal void WriteGuest(ulong guest, long value) => Unsafe.WriteUnaligned(CheckedPointer(guest, 8, GuestProt.Write), value);

    internal void WriteGuest(ulong guest, ulong value) => Unsafe.WriteUnaligned(CheckedPointer(guest, 8, GuestProt.Write), value);

    internal void WriteGuestBytes(ulong guest, ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return;
        data.CopyTo(new Span<byte>(CheckedPointer(guest, (ulong)data.Length, GuestProt.Write), data.Length));
    }

    /// <summary>
    /// Reads a NUL-terminated guest string of at most <paramref name="max"/> bytes (the NUL excluded) as raw
    /// bytes plus the NUL. Returns null if it is longer (the caller answers ENAMETOOLONG).
    /// </summary>
    internal byte[]? ReadGuestCString(ulong guest, int max = PathMax)
    {
        if (!Memory.TryFindCStringEnd(guest, max, out int length, out ulong unreadable)) throw new GuestFaultException(unreadable);
        return length < 0 ? null : new ReadOnlySpan<byte>(Memory.HostPointer(guest), length + 1).ToArray();
    }

    /// <summary>
    /// A guest path argument, made ready for a host syscall (NUL-terminated): -L sysroot and /proc/self/exe
    /// applied when <paramref name="resolve"/>. Null if the path is too long.
    /// </summary>
    internal byte[]? ReadGuestPath(ulong guest, bool resolve)
    {
        var raw = ReadGuestCString(guest);
        if (raw == null || !resolve || raw.Length < 2 || raw[0] != (byte)'/') return raw;
        string path = Encoding.UTF8.GetString(raw, 0, raw.Length - 1);
        string resolved = Paths.Resolve(path);
        return ReferenceEquals(resolved, path) ? raw : NulTerminated(resolved);
    }

    internal static byte[] NulTerminated(string s)
    {
        var b = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, b);
        return b;
    }
}
