using System.Runtime.InteropServices;

namespace Emu.Linux.Native;

/// <summary>The host libc calls the translator makes (x86_64 Linux numbering and layouts).</summary>
internal static unsafe partial class LibC
{
    public const int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public const int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000, MAP_FIXED_NOREPLACE = 0x100000;
    public static readonly nint MAP_FAILED = -1;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    public static partial int Mprotect(nint addr, nuint length, int prot);

    [LibraryImport("libc", EntryPoint = "mremap", SetLastError = true)]
    public static partial nint Mremap(nint oldAddress, nuint oldSize, nuint newSize, int flags, nint newAddress);

    /// <summary>Raw host system call (x86_64 numbers). Returns the result, or -1 with errno in LastPInvokeError.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5);

    /// <summary>glibc's x86_64 struct sigaction (handler, 1024-bit mask, flags, restorer).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct HostSigaction
    {
        public nint Handler;
        public fixed ulong Mask[16];
        public int Flags;
        public int Pad;
        public nint Restorer;
    }

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    public static partial int Sigaction(int sig, HostSigaction* act, HostSigaction* old);

    [LibraryImport("libc", EntryPoint = "_exit")]
    public static partial void Exit(int status);

    /// <summary>Host system call returning -errno on failure, as the guest expects.</summary>
    public static long SyscallRaw(long number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0)
    {
        long r = Syscall(number, a0, a1, a2, a3, a4, a5);
        return r == -1 ? -Marshal.GetLastPInvokeError() : r;
    }
}
