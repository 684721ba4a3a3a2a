using System.Buffers.Binary;
using Emu.Cli;

namespace Emu.Tests.Loader;

[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>
/// The emu-aarch64 entry point run in-process with stdout and stderr captured: exit statuses and the
/// one-line error messages a user sees.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class ProgramTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int Status, string Out, string Err) Run(params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int status = Program.Main(args);
            return (status, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    private static void AssertOneErrorLine(string stderr, string expected)
    {
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("emu-aarch64: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    private string WriteExecutable(string name, byte[] contents, bool executable = true)
    {
        string path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, contents);
        if (OperatingSystem.IsWindows()) return path;
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(path, executable ? mode | UnixFileMode.UserExecute : mode);
        return path;
    }

    /// <summary>ET_EXEC whose code is: mov x0, #status; mov x8, #93 (exit); svc #0.</summary>
    private static byte[] ExitProgram(int status)
    {
        var elf = new TestElf { Entry = 0x400100 };
        elf.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_X, 0, 0x400000, 0x200, 0x200));
        Span<byte> code = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(code, 0xd2800000u | ((uint)status << 5));
        BinaryPrimitives.WriteUInt32LittleEndian(code[4..], 0xd2800ba8u);
        BinaryPrimitives.WriteUInt32LittleEndian(code[8..], 0xd4000001u);
        elf.Put(0x100, code);
        return elf.ToBytes();
    }

    [Fact]
    public void Version_PrintsTheVersionLine()
    {
        var (status, stdout, stderr) = Run("-version");
        Assert.Equal(0, status);
        Assert.Equal("emu-aarch64 version 0.1.0 (qemu-aarch64 compatible command line)\n", stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public void Help_ListsOptionsOnStdout()
    {
        var (status, stdout, _) = Run("--help");
        Assert.Equal(0, status);
        Assert.StartsWith("usage: emu-aarch64 [options] program", stdout);
    }

    [Fact]
    public void NoProgram_Status1()
    {
        var (status, _, stderr) = Run();
        Assert.Equal(1, status);
        AssertOneErrorLine(stderr, "no program given");
    }

    [Fact]
    public void BadOption_Status1()
    {
        var (status, _, stderr) = Run("-d", "nonsense", "prog");
        Assert.Equal(1, status);
        AssertOneErrorLine(stderr, "unknown log item 'nonsense'");
    }

    [Fact]
    public void MissingProgram_Status127()
    {
        string path = Path.Combine(_dir.Path, "missing");
        var (status, _, stderr) = Run(path);
        Assert.Equal(127, status);
        Assert.Equal($"emu-aarch64: {path}: No such file or directory\n", stderr);
    }

    [Fact]
    public void Directory_Status126()
    {
        var (status, _, stderr) = Run(_dir.Path);
        Assert.Equal(126, status);
        AssertOneErrorLine(stderr, "Is a directory");
    }

    [Fact]
    public void NotExecutable_Status126()
    {
        string path = WriteExecutable("noexec", ExitProgram(0), executable: false);
        var (status, _, stderr) = Run(path);
        Assert.Equal(126, status);
        AssertOneErrorLine(stderr, "Permission denied");
    }

    [Fact]
    public void HostBinary_Status126NamingTheMachine()
    {
        var (status, _, stderr) = Run("/bin/true");
        Assert.Equal(126, status);
        Assert.Equal("emu-aarch64: /bin/true: is an x86-64 ELF, not AArch64\n", stderr);
    }

    [Fact]
    public void MissingInterpreter_Status127SuggestingMinusL()
    {
        var elf = TestElf.Static();
        elf.Segments.Add(new TestSegment(TestElf.PT_INTERP, TestElf.PF_R, 0x1f00, 0x401f00, 16, 16, 1));
        elf.Put(0x1f00, "/lib/ld-none.so\0"u8);
        string path = WriteExecutable("dyn", elf.ToBytes());
        var (status, _, stderr) = Run("-L", Path.Combine(_dir.Path, "root"), path);
        Assert.Equal(127, status);
        AssertOneErrorLine(stderr, "/lib/ld-none.so");
        Assert.Contains("-L", stderr);
    }

    [Fact]
    public void GuestExitStatus_BecomesOurs()
    {
        string path = WriteExecutable("exit7", ExitProgram(7));
        var (status, stdout, stderr) = Run(path);
        Assert.Equal(7, status);
        Assert.Empty(stdout);
        Assert.Empty(stderr);
    }
}
