using System.Globalization;
using System.Text.RegularExpressions;
using Emu.Tests.Conformance;
using Emu.Tests.Programs;

namespace Emu.Tests.Memory;

/// <summary>
/// RyuJIT's arena slabs go back to malloc after each Tier 1 compile: the launcher starts the runtime with
/// its slab cache off (DOTNET_JitHostMaxSlabCache=0), which would otherwise keep the largest compile's
/// arena (4-10 MB) resident for good. The variable is not passed on to the guest.
/// </summary>
public sealed partial class JitNativeMemoryTests(SysrootFixture sysroot) : IClassFixture<SysrootFixture>
{
    [GeneratedRegex(@"compiles (\d+)")]
    private static partial Regex CompilesField();

    [GeneratedRegex(@"malloc (\d+) MB in use")]
    private static partial Regex MallocField();

    private static ProgramResult RunWithStats(string program, string[] args, params string[] options)
    {
        var env = ProgramRun.HostEnvironment();
        foreach (var name in env.Keys.Where(k => k.StartsWith("EMU_", StringComparison.Ordinal) || k == "DOTNET_JitHostMaxSlabCache").ToList())
            env.Remove(name);
        env["EMU_STATS"] = "1";
        return ProgramRun.Run(RepoLayout.Runner(), [.. options, program, .. args], Path.GetTempPath(), null, env, TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Tier1CompilesLeaveLittleMallocMemoryInUse()
    {
        if (RepoLayout.RunnerOverridden) return; // EMU_STATS is the emulator's own report
        string nbody = Path.Combine(RepoLayout.BuildDir, "nbody");
        Assert.True(File.Exists(nbody), $"{nbody} missing: run make -C testbins");
        // Long enough (about 0.3 s) that no compile is still running at exit.
        var r = RunWithStats(nbody, ["800000"], "-tier1-threshold", "50");
        Assert.True(r.Status == 0 && !r.TimedOut, r.ToString());
        int compiles = int.Parse(CompilesField().Match(r.Stderr).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(compiles >= 2, $"only {compiles} Tier 1 compiles: the check needs some\n{r.Stderr}");
        var inUse = MallocField().Match(r.Stderr);
        Assert.True(inUse.Success, r.Stderr);
        // With the slab cache: about 5 MB (the runtime alone uses about 1).
        Assert.True(int.Parse(inUse.Groups[1].Value, CultureInfo.InvariantCulture) <= 2, r.Stderr);
    }

    [Fact]
    public void TheGuestDoesNotSeeTheSlabCacheVariable()
    {
        if (RepoLayout.RunnerOverridden) return;
        Assert.True(sysroot.Error == null, sysroot.Error);
        var env = ProgramRun.HostEnvironment();
        env.Remove("DOTNET_JitHostMaxSlabCache");
        var r = ProgramRun.Run(RepoLayout.Runner(), ["-L", sysroot.Root, sysroot.Root + "/usr/bin/env"], Path.GetTempPath(), null, env, TimeSpan.FromMinutes(2));
        Assert.True(r.Status == 0 && !r.TimedOut, r.ToString());
        Assert.Contains("PATH=", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("JitHostMaxSlabCache", r.Stdout, StringComparison.Ordinal);
    }
}
