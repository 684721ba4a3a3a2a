namespace Emu.Tests.Conformance;

/// <summary>
/// The loader must refuse damaged ELF files cleanly: exit status 126, one line on stderr naming the
/// file, nothing on stdout, and no exception text or stack trace.
/// </summary>
public sealed class MalformedElfTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-malformed-elf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Kinds() => new(MalformedElf.Kinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void IsRefusedWithOneLineAndStatus126(string kind)
    {
        string path = Write($"malformed-{kind}.elf", MalformedElf.Build(kind));
        GuestResult result = GuestRun.Run(RepoLayout.Runner(), path, [], new Dictionary<string, string>(), RepoLayout.Timeout);

        string[] lines = result.Stderr.TrimEnd('\n').Split('\n');
        string context = $"exit status {result.ExitCode}, stderr:\n{GuestRun.Tail(result.Stderr)}";
        Assert.True(result.ExitCode == 126, $"expected exit status 126; {context}");
        Assert.True(lines.Length == 1 && lines[0].Length > 0, $"expected exactly one line on stderr; {context}");
        Assert.Contains(Path.GetFileName(path), lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    /// <summary>The undamaged base file runs, so the failures above are caused by the damage alone.</summary>
    [Fact]
    public void UndamagedBaseFileRuns()
    {
        string path = Write("minimal-valid.elf", MalformedElf.Valid());
        GuestResult result = GuestRun.Run(RepoLayout.Runner(), path, [], new Dictionary<string, string>(), RepoLayout.Timeout);
        Assert.True(result.ExitCode == MalformedElf.ExitStatus,
            $"expected exit status {MalformedElf.ExitStatus}, got {result.ExitCode}; stderr:\n{GuestRun.Tail(result.Stderr)}");
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void UndamagedBaseFileRunsUnderQemu()
    {
        // Guards the generator itself against the reference implementation when it is installed.
        string? qemu = RepoLayout.FindQemu();
        if (qemu == null)
            return;
        string path = Write("minimal-valid-qemu.elf", MalformedElf.Valid());
        GuestResult result = GuestRun.Run(qemu, path, [], new Dictionary<string, string>(), RepoLayout.Timeout);
        Assert.Equal(MalformedElf.ExitStatus, result.ExitCode);
    }

    private string Write(string name, byte[] contents)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, contents);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
