using System.Runtime.InteropServices;
using System.Text;

namespace Emu.Cli;

/// <summary>
/// Registers emu-aarch64 with the kernel's binfmt_misc so AArch64 ELF files run directly
/// (`./prog`, `chroot arm64-root /bin/sh`). Magic and mask are the ones qemu's qemu-binfmt-conf.sh uses:
/// they match ELF64 little-endian EM_AARCH64 files of type ET_EXEC and ET_DYN, whatever their OS ABI byte.
/// </summary>
public static partial class BinfmtRegistration
{
    public const string DefaultName = "emu-aarch64";
    public const string MiscDir = "/proc/sys/fs/binfmt_misc";

    private static readonly byte[] Magic =
        [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0xb7, 0x00];
    private static readonly byte[] Mask =
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff];

    /// <summary>What each flag means, for --help.</summary>
    public static readonly (char Flag, string Meaning)[] Flags =
    [
        ('P', "preserve argv[0]: the program sees the argv[0] it was started with"),
        ('O', "the kernel opens the program and passes its fd (runs programs that are executable but not readable)"),
        ('C', "credentials (setuid/setgid) come from the program, not the interpreter; implies O"),
        ('F', "the kernel opens the interpreter at registration, so it works inside chroots and containers (register the static launcher, scripts/build --binfmt-static: then the root needs no host file)"),
    ];

    /// <summary>The line written to binfmt_misc's register file.</summary>
    public static string RegistrationLine(string name, string interpreter, string flags)
    {
        static string Hex(byte[] b)
        {
            var sb = new StringBuilder();
            foreach (var x in b) sb.Append("\\x").Append(x.ToString("x2"));
            return sb.ToString();
        }
        return $":{name}:M::{Hex(Magic)}:{Hex(Mask)}:{interpreter}:{flags}";
    }

    /// <summary>Validates a flag string (subset of POCF, each at most once); returns an error or null.</summary>
    public static string? CheckFlags(string flags)
    {
        foreach (char c in flags)
            if (!Flags.Any(f => f.Flag == c)) return $"unknown binfmt flag '{c}' (valid: POCF)";
        if (flags.Distinct().Count() != flags.Length) return "a binfmt flag is repeated";
        return null;
    }

    public static int Install(string name, string interpreter, string flags, TextWriter output)
    {
        if (CheckFlags(flags) is { } err) return Fail(err, 1);
        if (!File.Exists(interpreter)) return Fail($"interpreter {interpreter} does not exist", 1);
        if (EnsureMounted() is { } mountErr) return Fail(mountErr, 1);
        string entry = Path.Combine(MiscDir, name);
        try
        {
            if (File.Exists(entry)) File.WriteAllText(entry, "-1"); // re-registering replaces the old entry
            File.WriteAllText(Path.Combine(MiscDir, "register"), RegistrationLine(name, interpreter, flags));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot register with binfmt_misc: {e.Message}" + (IsRoot() ? "" : " (registering needs root)"), 1);
        }
        output.WriteLine($"registered {name}: {interpreter} for AArch64 ELF programs, flags '{flags}'");
        return 0;
    }

    public static int Uninstall(string name, TextWriter output)
    {
        string entry = Path.Combine(MiscDir, name);
        if (!File.Exists(entry))
        {
            output.WriteLine($"{name} is not registered");
            return 0;
        }
        try
        {
            File.WriteAllText(entry, "-1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot remove {name} from binfmt_misc: {e.Message}" + (IsRoot() ? "" : " (needs root)"), 1);
        }
        output.WriteLine($"unregistered {name}");
        return 0;
    }

    public static int Status(string name, TextWriter output)
    {
        string entry = Path.Combine(MiscDir, name);
        if (!Directory.Exists(MiscDir) || !File.Exists(Path.Combine(MiscDir, "register")))
        {
            output.WriteLine("binfmt_misc is not mounted");
            return 3;
        }
        if (!File.Exists(entry))
        {
            output.WriteLine($"{name} is not registered");
            return 3;
        }
        output.Write(File.ReadAllText(entry));
        return 0;
    }

    private static string? EnsureMounted()
    {
        if (File.Exists(Path.Combine(MiscDir, "register"))) return null;
        if (!Directory.Exists(MiscDir)) return $"{MiscDir} does not exist: the kernel has no binfmt_misc support";
        if (Mount("binfmt_misc", MiscDir, "binfmt_misc", 0, 0) != 0)
            return $"cannot mount binfmt_misc on {MiscDir}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}" + (IsRoot() ? "" : " (needs root)");
        return null;
    }

    /// <summary>
    /// True when <paramref name="interpreter"/> is a framework-dependent apphost (its .dll beside it), which
    /// needs an installed .NET; the single-file build carries the runtime inside.
    /// </summary>
    public static bool IsFrameworkDependent(string interpreter)
    {
        string dir = Path.GetDirectoryName(interpreter) ?? ".";
        string name = Path.GetFileNameWithoutExtension(interpreter);
        return File.Exists(Path.Combine(dir, name + ".dll")) || File.Exists(Path.Combine(dir, name + ".runtimeconfig.json"));
    }

    /// <summary>
    /// True when <paramref name="interpreter"/> is an ELF file with a PT_INTERP (dynamically linked): started
    /// by the kernel inside a chroot, it needs the host's ld.so there. False for a static file or a non-ELF.
    /// </summary>
    public static bool NeedsProgramInterpreter(string interpreter)
    {
        const uint PtInterp = 3;
        try
        {
            byte[] head = new byte[4096];
            using (var f = File.OpenRead(interpreter)) head = head[..f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
            if (head.Length < 64 || head[0] != 0x7f || head[1] != (byte)'E' || head[2] != (byte)'L' || head[3] != (byte)'F' || head[4] != 2) return false;
            ulong phoff = BitConverter.ToUInt64(head, 32);
            int phentsize = BitConverter.ToUInt16(head, 54), phnum = BitConverter.ToUInt16(head, 56);
            for (int i = 0; i < phnum; i++)
            {
                ulong at = phoff + (ulong)(i * phentsize);
                if (at + 4 > (ulong)head.Length) return false;
                if (BitConverter.ToUInt32(head, (int)at) == PtInterp) return true;
            }
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int Fail(string message, int status)
    {
        Console.Error.WriteLine("emu-aarch64: " + message);
        return status;
    }

    private static bool IsRoot() => GetEuid() == 0;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mount(string source, string target, string fsType, ulong flags, nint data);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}
