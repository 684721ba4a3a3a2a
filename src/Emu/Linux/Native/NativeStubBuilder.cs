using System.Runtime.InteropServices;

namespace Emu.Linux.Native;

/// <summary>
/// Assembles a small x86-64 machine-code stub (signal handlers, the parking syscall) and installs it on a page of
/// its own, read-and-execute. A plain byte buffer: a List of byte would be JIT-compiled at every start (the
/// trimmed framework has no precompiled code for it).
/// </summary>
internal sealed unsafe class NativeStubBuilder
{
    private byte[] _code = new byte[128];

    /// <summary>Bytes emitted so far: the offset of the next one.</summary>
    public int Count { get; private set; }

    public void Bytes(params ReadOnlySpan<byte> bytes)
    {
        if (Count + bytes.Length > _code.Length) Array.Resize(ref _code, Math.Max(_code.Length * 2, Count + bytes.Length));
        bytes.CopyTo(_code.AsSpan(Count));
        Count += bytes.Length;
    }

    public void Imm64(ulong value)
    {
        Span<byte> le = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(le, value);
        Bytes(le);
    }

    /// <summary>Points the rel8 of the short jump emitted at <paramref name="jumpAt"/> (opcode, rel8) at <paramref name="target"/>.</summary>
    public void PatchRel8(int jumpAt, int target) => _code[jumpAt + 1] = (byte)(sbyte)(target - (jumpAt + 2));

    /// <summary>Copies the stub to a fresh page and makes it executable; its address, or 0 if it could not be mapped.</summary>
    public nint Install()
    {
        const int Page = 4096;
        if (Count > Page) return 0;
        nint page = LibC.Mmap(0, Page, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (page == LibC.MAP_FAILED) return 0;
        Marshal.Copy(_code, 0, page, Count);
        if (LibC.Mprotect(page, Page, LibC.PROT_READ | LibC.PROT_EXEC) != 0)
        {
            LibC.Munmap(page, Page);
            return 0;
        }
        return page;
    }
}
