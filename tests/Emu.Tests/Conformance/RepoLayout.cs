namespace Emu.Tests.Conformance;

/// <summary>Locates the repository, the emulator under test and the reference emulator.</summary>
internal static class RepoLayout
{
    /// <summary>Set to a command (e.g. <c>qemu-aarch64</c>) to run the conformance tests with it instead of
    /// artifacts/bin/emu-aarch64; useful to validate the harness and the expected files themselves.</summary>
    public const string RunnerVariable = "EMU_TEST_RUNNER";

    /// <summary>Overrides the per-program timeout in seconds.</summary>
    public const string TimeoutVariable = "EMU_TEST_TIMEOUT";

    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string TestbinsDir => Path.Combine(Root, "testbins");

    public static string ExpectedDir => Path.Combine(TestbinsDir, "expected");

    public static string BuildDir => Path.Combine(TestbinsDir, "build");

    public static string PrebuiltDir => Path.Combine(TestbinsDir, "prebuilt");

    public static TimeSpan Timeout =>
        int.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), out int seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(120);

    /// <summary>True when EMU_TEST_RUNNER replaces the emulator.</summary>
    public static bool RunnerOverridden => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(RunnerVariable));

    /// <summary>The command that runs guest programs, failing with instructions when it was not built.</summary>
    public static string Runner()
    {
        string? overridden = Environment.GetEnvironmentVariable(RunnerVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
            return overridden;
        string emulator = Path.Combine(Root, "artifacts", "bin", "emu-aarch64");
        Assert.True(File.Exists(emulator), $"{emulator} does not exist: run scripts/build first (or set {RunnerVariable}).");
        return emulator;
    }

    /// <summary>Path of a built test program, failing with instructions when it is missing.</summary>
    public static string Testbin(string name)
    {
        string path = Path.Combine(BuildDir, name);
        Assert.True(File.Exists(path), $"{path} does not exist: run `make -C testbins` (needs aarch64-linux-gnu-gcc) first.");
        return path;
    }

    /// <summary>qemu-aarch64 from PATH, or null when it is not installed.</summary>
    public static string? FindQemu()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "qemu-aarch64");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Translator.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Translator.sln not found above {AppContext.BaseDirectory}");
    }
}
