using Emu.Memory;

namespace Emu.Loader;

/// <summary>How <see cref="ElfLoader"/> sets up the guest process image.</summary>
public sealed class LoaderOptions
{
    /// <summary>-L: the interpreter (and guest libraries) are looked up under this prefix first.</summary>
    public string? SysRoot { get; set; }
    /// <summary>Size of the initial stack mapping (-s).</summary>
    public ulong StackSize { get; set; } = GuestLayout.DefaultStackSize;
    public ulong HwCap { get; set; } = HwCaps.DefaultHwCap;
    public ulong HwCap2 { get; set; } = HwCaps.DefaultHwCap2;
    /// <summary>-seed: makes the AT_RANDOM bytes reproducible; null takes them from the host's CSPRNG.</summary>
    public ulong? RandomSeed { get; set; }
    /// <summary>The AT_EXECFN string; null uses the path given to Load.</summary>
    public string? ExecFn { get; set; }
    /// <summary>The program, already open (binfmt_misc O/C flags pass it as AT_EXECFD); disposed by Load.</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle? ProgramFile { get; set; }
    /// <summary>AT_SECURE for the guest (set when the kernel set it for us: setuid/setgid through flag C).</summary>
    public bool Secure { get; set; }
}
