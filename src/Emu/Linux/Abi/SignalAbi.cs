using System.Runtime.InteropServices;

namespace Emu.Linux.Abi;

/// <summary>
/// aarch64 kernel <c>struct sigaction</c> as rt_sigaction passes it: {handler, flags, restorer, mask}.
/// The guest's handler and restorer are guest addresses, so it is recorded, never given to the host.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct GuestSigaction
{
    public const ulong SigDefault = 0, SigIgnore = 1;
    public const ulong SaSigInfo = 4, SaOnStack = 0x08000000, SaRestart = 0x10000000, SaNoDefer = 0x40000000,
        SaResetHand = 0x80000000, SaRestorer = 0x04000000;

    [FieldOffset(0)] public ulong Handler;
    [FieldOffset(8)] public ulong Flags;
    [FieldOffset(16)] public ulong Restorer;
    [FieldOffset(24)] public ulong Mask;
}

/// <summary>aarch64 <c>stack_t</c> for sigaltstack: {ss_sp, ss_flags, ss_size}, 24 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct GuestStackT
{
    public const int SsOnStack = 1, SsDisable = 2;
    /// <summary>aarch64 MINSIGSTKSZ.</summary>
    public const ulong MinSize = 5120;

    [FieldOffset(0)] public ulong Sp;
    [FieldOffset(8)] public int Flags;
    [FieldOffset(16)] public ulong Size;
}
