using System.Text;

namespace Emu.Tests.Conformance;

/// <summary>
/// Runs each program from testbins/ under the emulator and compares stdout and exit status with
/// testbins/expected (produced by qemu-aarch64), and, when qemu-aarch64 is installed, with a live
/// qemu-aarch64 run of the same binary.
/// </summary>
public sealed class TestbinTests
{
    /// <summary>One case per testbins/expected/*.out, except those marked pending.</summary>
    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (string name in ExpectedNames().Where(n => !IsPending(n)))
            data.Add(name);
        return data;
    }

    /// <summary>
    /// Programs that need a capability still being built (testbins/expected/NAME.pending names the open
    /// issue) are left out of the theories above. They must still fail: once one passes, its marker has
    /// to go so that it is tested for real.
    /// </summary>
    [Fact]
    public void PendingTestbinsStillFail()
    {
        foreach (string name in ExpectedNames().Where(IsPending))
        {
            Expectation expected = Expectation.Load(name);
            GuestResult emu = GuestRun.Run(RepoLayout.Runner(), expected.RunnerOptions, RepoLayout.Testbin(name), expected.Args,
                expected.Environment, RepoLayout.Timeout);
            bool passes = emu.StdoutText == expected.Stdout && emu.ExitCode == expected.ExitCode;
            Assert.False(passes, $"{name} now passes: delete testbins/expected/{name}.pending");
        }
    }

    internal static bool IsPending(string name) => File.Exists(Path.Combine(RepoLayout.ExpectedDir, name + ".pending"));

    /// <summary>Stripped binaries committed so a checkout without a cross compiler can still run something.</summary>
    public static TheoryData<string> PrebuiltPrograms()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(RepoLayout.PrebuiltDir).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Testbin(string name)
    {
        Expectation expected = Expectation.Load(name);
        string program = RepoLayout.Testbin(name);

        GuestResult emu = GuestRun.Run(RepoLayout.Runner(), expected.RunnerOptions, program, expected.Args, expected.Environment, RepoLayout.Timeout);
        AssertMatches(expected.Stdout, expected.ExitCode, emu, "the committed expected output");

        string? qemu = RepoLayout.FindQemu();
        if (qemu != null && !RepoLayout.RunnerOverridden)
        {
            // The reference can hang where we do not: qemu-user's fork from a multithreaded guest sometimes
            // deadlocks in the child (seen with fork_threads). Our run has matched the committed output above.
            GuestResult? reference = GuestRun.TryRun(qemu, expected.RunnerOptions, program, expected.Args, expected.Environment, RepoLayout.Timeout);
            if (reference != null) AssertMatches(reference.StdoutText, reference.ExitCode, emu, "a live qemu-aarch64 run");
        }
    }

    [Theory]
    [MemberData(nameof(PrebuiltPrograms))]
    public void Prebuilt(string name)
    {
        Expectation expected = Expectation.Load(name);
        string program = Path.Combine(RepoLayout.PrebuiltDir, name);
        GuestResult emu = GuestRun.Run(RepoLayout.Runner(), expected.RunnerOptions, program, expected.Args, expected.Environment, RepoLayout.Timeout);
        AssertMatches(expected.Stdout, expected.ExitCode, emu, "the committed expected output");
    }

    [Fact]
    public void EverySourceHasExpectedOutput()
    {
        string[] sources = Directory.GetFiles(Path.Combine(RepoLayout.TestbinsDir, "src"))
            .Where(p => Path.GetExtension(p) is ".c" or ".cpp" or ".S")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(sources);
        Assert.Equal(sources, ExpectedNames());
    }

    /// <summary>Expected outputs are written by passing programs: they must not record a failed check.</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void ExpectedOutputRecordsNoFailedCheck(string name)
    {
        string text = Expectation.Load(name).Stdout;
        Assert.NotEmpty(text);
        Assert.DoesNotContain("MISMATCH", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAILED", text, StringComparison.Ordinal);
    }

    internal static string[] ExpectedNames() =>
        Directory.GetFiles(RepoLayout.ExpectedDir, "*.out")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// Runs testbin <paramref name="name"/> with extra emulator environment variables (an execution mode)
    /// and checks it against its committed expected output.
    /// </summary>
    internal static void AssertMatchesInMode(string name, string mode, IReadOnlyDictionary<string, string> modeEnvironment)
    {
        Expectation expected = Expectation.Load(name);
        var environment = new Dictionary<string, string>(expected.Environment, StringComparer.Ordinal);
        foreach ((string key, string value) in modeEnvironment)
            environment[key] = value;
        GuestResult emu = GuestRun.Run(RepoLayout.Runner(), expected.RunnerOptions, RepoLayout.Testbin(name), expected.Args,
            environment, RepoLayout.Timeout);
        AssertMatches(expected.Stdout, expected.ExitCode, emu, $"the committed expected output ({mode})");
    }

    internal static void AssertMatches(string expectedStdout, int expectedExit, GuestResult actual, string against)
    {
        string stdout = actual.StdoutText;
        if (stdout != expectedStdout)
        {
            Assert.Fail($"stdout differs from {against}; {GuestRun.DescribeDifference(expectedStdout, stdout)}\n" +
                $"exit status {actual.ExitCode}, stderr:\n{GuestRun.Tail(actual.Stderr)}");
        }
        if (actual.ExitCode != expectedExit)
        {
            Assert.Fail($"exit status {actual.ExitCode}, expected {expectedExit} from {against}; stderr:\n" +
                GuestRun.Tail(actual.Stderr));
        }
    }
}
