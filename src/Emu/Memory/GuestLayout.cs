namespace Emu.Memory;

/// <summary>Where things go in the guest address space (a 2^40-byte reservation).</summary>
public static class GuestLayout
{
    /// <summary>Load address of an ET_DYN main program (static-pie or PIE), as qemu-aarch64 uses.</summary>
    public const ulong PieBase = 0x55_0000_0000;
    /// <summary>Top of the initial stack (exclusive).</summary>
    public const ulong StackTop = 0xff_0000_0000;
    /// <summary>Default stack size (qemu's default, 8 MiB).</summary>
    public const ulong DefaultStackSize = 8 << 20;
    /// <summary>mmap without a hint searches downwards from here (the interpreter lands here too).</summary>
    public const ulong MmapTop = 0xfe_0000_0000;
    /// <summary>Lowest address mmap hands out without MAP_FIXED.</summary>
    public const ulong MmapBottom = 0x1_0000_0000;
}
