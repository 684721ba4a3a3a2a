using System.Globalization;
using System.Text.RegularExpressions;
using Emu.Tests.Conformance;
using Emu.Tests.Programs;

namespace Emu.Tests.Memory;

/// <summary>
/// The translator's managed heap is mostly translation metadata that survives, so by default the GC grows its
/// gen0 budget with it (tens of MB, each resident). The runtimeconfig of the built emulator caps the budget
/// (System.GC.Gen0MaxBudget): a start-up that allocates tens of MB collects every few MB.
/// </summary>
public sealed partial class ManagedHeapBudgetTests(SysrootFixture sysroot) : IClassFixture<SysrootFixture>
{
    [GeneratedRegex(@"GC (\d+)/(\d+)/(\d+) \(gen0/1/2\), (\d+) MB allocated")]
    private static partial Regex GcLine();

    [Fact]
    public void PythonStartUpCollectsEveryFewMegabytesAllocated()
    {
        if (RepoLayout.RunnerOverridden) return; // EMU_STATS is the emulator's own report
        Assert.True(sysroot.Error == null, sysroot.Error);
        string root = sysroot.Root;
        string dir = Directory.CreateTempSubdirectory("emu-gc-budget").FullName;
        try
        {
            var env = ProgramRun.GuestEnvironment(dir);
            env["EMU_STATS"] = "1";
            var r = ProgramRun.Run(RepoLayout.Runner(), ["-L", root, root + "/usr/bin/python3.11", "-c", "pass"], dir, null, env, TimeSpan.FromMinutes(2));
            Assert.True(r.Status == 0 && !r.TimedOut, r.ToString());
            var m = GcLine().Match(r.Stderr);
            Assert.True(m.Success, r.Stderr);
            int gen0 = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            int allocatedMb = int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
            // About 30 MB allocated: one collection with the default budget, about ten with a 3 MB cap.
            Assert.True(allocatedMb >= 12, $"python -c pass allocated only {allocatedMb} MB: the check needs more\n{r.Stderr}");
            Assert.True(gen0 >= allocatedMb / 6, $"{gen0} gen0 collections for {allocatedMb} MB allocated: the gen0 budget is not capped\n{r.Stderr}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
