using Emu.Tests.Conformance;
using Emu.Tests.Programs;

namespace Emu.Tests.Startup;

/// <summary>
/// Start-up of the built emulator JIT-compiles (almost) nothing: the translator's code is ReadyToRun; the
/// framework methods it needs that the trimmed framework's ReadyToRun code lacks (generic code over primitive
/// types) are listed in src/Emu.Cli/ReadyToRunProfile.txt, and DynamicMethods are kept off the start-up path.
/// The runtime lists each method it compiles (DOTNET_JitDisasmSummary); every one must be a known exception
/// below, so a new start-up JIT compile fails here: add it to that list (or avoid it).
/// </summary>
public sealed class StartupJitTests(SysrootFixture sysroot) : IClassFixture<SysrootFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-startup-jit").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Methods still compiled at start-up, by the prefix of the runtime's name for them, and why.</summary>
    private static readonly string[] Known =
    [
        // The runtime's thread-static access path: compiled at the first [ThreadStatic] access of any program
        // (an empty Main does it too). CreateAndCache (Activator/Enum caches) is avoidable and no longer listed.
        "System.Threading.Thread:GetThreadStaticsBase(",
    ];

    private List<string> JitCompiledDuring(params string[] args)
    {
        string list = Path.Combine(_dir, "jit.txt");
        var env = ProgramRun.HostEnvironment();
        env["DOTNET_JitStdOutFile"] = list;
        env["DOTNET_JitDisasmSummary"] = "1";
        var r = ProgramRun.Run(RepoLayout.Runner(), args, _dir, null, env, TimeSpan.FromMinutes(2));
        Assert.True(r.Status == 0, r.ToString());
        Assert.True(File.Exists(list), "the runtime wrote no list of JIT-compiled methods (DOTNET_JitStdOutFile)");
        const string Marker = "JIT compiled ";
        return [.. File.ReadAllLines(list)
            .Where(l => l.Contains(Marker, StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..])];
    }

    private static void AssertOnlyKnown(List<string> compiled)
    {
        var unexpected = compiled.Where(m => !Known.Any(k => m.StartsWith(k, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, $"JIT-compiled at start-up:\n{string.Join("\n", unexpected)}");
    }

    [Fact]
    public void A_dynamic_true_compiles_only_the_known_methods()
    {
        Assert.True(sysroot.Error == null, sysroot.Error);
        var compiled = JitCompiledDuring("-L", sysroot.Root, sysroot.Root + "/bin/true");
        AssertOnlyKnown(compiled);
        // No DynamicMethod either: a cold-tier helper thunk made with Reflection.Emit would be one.
        Assert.DoesNotContain(compiled, m => m.Contains("dynamicClass", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dynamic_ls_compiles_only_the_known_methods()
    {
        Assert.True(sysroot.Error == null, sysroot.Error);
        AssertOnlyKnown(JitCompiledDuring("-L", sysroot.Root, sysroot.Root + "/bin/ls", "/"));
    }

    [Fact]
    public void A_shell_that_forks_execs_and_pipes_compiles_only_the_known_methods()
    {
        // What runs between a fork and its execve runs anew in every child: it must not need the JIT
        // (it did: LINQ over GCHandle, a Dictionary of a struct, ReadGuest<ulong>: ~16 methods, ~5 ms per exec).
        // Also the syscalls a shell makes on the way (pipe, wait4, rt_sigaction, rt_sigprocmask, kill).
        Assert.True(sysroot.Error == null, sysroot.Error);
        var compiled = JitCompiledDuring("-L", sysroot.Root, sysroot.Root + "/bin/dash", "-c",
            "(:); /bin/true; echo $(echo hi) | cat; trap 'echo trapped' USR2; kill -USR2 $$; exec /bin/true");
        // A helper thunk for a vector operation of the guest's libc (cold tier) is a DynamicMethod by design.
        // (Flushing Console.Out before fork set the console up, and with it JIT-compiled CoreLib's
        // SpanHelpers.SequenceCompareTo, in every forking process.)
        AssertOnlyKnown([.. compiled.Where(m => !m.StartsWith("(dynamicClass):thunk_", StringComparison.Ordinal))]);
    }

    [Fact]
    public void A_static_hello_compiles_only_the_known_methods() =>
        AssertOnlyKnown(JitCompiledDuring(Path.Combine(RepoLayout.PrebuiltDir, "hello")));

    [Fact]
    public void Tier_1_compiles_only_regions_and_the_transfer_helpers()
    {
        // Every process that compiles a region paid for the framework generics and LINQ the compile path used
        // (HashSet<ulong>, List of a tuple, Sum, an inline array of strings: ~45 methods, 10-20 ms of JIT).
        var compiled = JitCompiledDuring(RepoLayout.Testbin("sha256"));
        Assert.Contains(compiled, m => m.StartsWith("(dynamicClass):region_", StringComparison.Ordinal));
        AssertOnlyKnown([.. compiled.Where(m => !m.StartsWith("(dynamicClass):", StringComparison.Ordinal)
            // JIT-compiled by design (AggressiveOptimization: the direct-transfer slow paths)...
            && !m.StartsWith("Emu.Jit.DirectTransfers:", StringComparison.Ordinal)
            // ...and ReadyToRun holds no method that takes a Vector128 (cold-tier SIMD helpers).
            && !(m.StartsWith("Emu.", StringComparison.Ordinal) && m.Contains("System.Runtime.Intrinsics.Vector128", StringComparison.Ordinal)))]);
    }
}
