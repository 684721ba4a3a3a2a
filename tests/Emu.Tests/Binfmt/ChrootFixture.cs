using Emu.Tests.Conformance;

namespace Emu.Tests.Binfmt;

/// <summary>
/// What the chroot fixtures share: a copy of the arm64 Debian root (scripts/sysroot, made if missing) under
/// artifacts/, with /dev/null (dash points background jobs at it) and a mounted /proc (the .NET host needs
/// /proc/self/exe), an interpreter built if missing and registered with binfmt_misc, and the machine-wide
/// binfmt test lock held while the entry exists. Subclasses say which interpreter, what else goes into the
/// root and how the entry is registered.
/// </summary>
public abstract class ChrootFixture : IDisposable
{
    public string Root { get; }
    public string? SetupError { get; }

    /// <summary>The binfmt_misc entry's name (unique to this test process).</summary>
    protected string Entry { get; }

    /// <summary>The file registered with binfmt_misc.</summary>
    protected string Interpreter { get; }

    private readonly IDisposable? _machineLock;
    private bool _procMounted;

    protected static readonly TimeSpan LongStep = TimeSpan.FromMinutes(20);

    /// <param name="name">Names the root (artifacts/NAME-PID) and the entry.</param>
    /// <param name="interpreter">The interpreter, relative to the repository.</param>
    /// <param name="buildCommand">Makes <paramref name="interpreter"/> when it is missing.</param>
    protected ChrootFixture(string name, string interpreter, string buildCommand, string entryKind)
    {
        Root = Path.Combine(RepoLayout.Root, "artifacts", $"{name}-{Environment.ProcessId}");
        Interpreter = Path.Combine(RepoLayout.Root, interpreter);
        Entry = BinfmtEnvironment.TestEntryName(entryKind);
        if (BinfmtEnvironment.Unavailable != null) return;
        _machineLock = BinfmtEnvironment.MachineLock();
        SetupError = Setup(buildCommand);
    }

    private string? Setup(string buildCommand)
    {
        string repo = RepoLayout.Root;
        string sysroot = Path.Combine(repo, ".cache", "sysroot-arm64");
        if (!File.Exists(Path.Combine(sysroot, "bin", "dash")))
        {
            var r = BinfmtEnvironment.Shell("scripts/sysroot", LongStep, repo);
            if (r.Status != 0) return "scripts/sysroot failed:\n" + r.Output;
        }
        if (!File.Exists(Interpreter))
        {
            var r = BinfmtEnvironment.Shell(buildCommand, LongStep, repo);
            if (r.Status != 0) return $"{buildCommand} failed:\n" + r.Output;
        }
        // Hard links keep the copy cheap.
        string script = $"""
            set -e
            rm -rf '{Root}'
            cp -al '{sysroot}' '{Root}' 2>/dev/null || cp -a '{sysroot}' '{Root}'
            {PopulateScript()}
            cp '{RepoLayout.Testbin("hello")}' '{Root}/hello-static'
            mknod -m 666 '{Root}/dev/null' c 1 3
            mount -t proc proc '{Root}/proc'
            """;
        var setup = BinfmtEnvironment.Shell(script, LongStep);
        _procMounted = IsMounted(Path.Combine(Root, "proc"));
        if (setup.Status != 0) return "building the chroot failed:\n" + setup.Output;
        return Register();
    }

    /// <summary>Shell commands that add to (or remove from) the copied root before /proc is mounted.</summary>
    protected abstract string PopulateScript();

    /// <summary>Registers <see cref="Entry"/>; null, or what went wrong.</summary>
    protected abstract string? Register();

    /// <summary>Undoes the registration the interpreter's own way, before the entry is forcibly removed.</summary>
    protected virtual void Unregister()
    {
    }

    /// <summary>Removes what the subclass made outside the root.</summary>
    protected virtual void CleanUp()
    {
    }

    public static bool IsMounted(string dir) =>
        File.ReadAllLines("/proc/self/mounts").Any(l => l.Split(' ')[1] == dir);

    public void Dispose()
    {
        // Unregister first: nothing may run through a stale entry; then unmount before deleting.
        Unregister();
        BinfmtEnvironment.ForceUnregister(Entry);
        if (_procMounted || (Directory.Exists(Root) && IsMounted(Path.Combine(Root, "proc"))))
            BinfmtEnvironment.Shell($"umount '{Root}/proc' || umount -l '{Root}/proc'", TimeSpan.FromMinutes(1));
        if (Directory.Exists(Root) && !IsMounted(Path.Combine(Root, "proc")))
            BinfmtEnvironment.Shell($"rm -rf '{Root}'", TimeSpan.FromMinutes(2));
        CleanUp();
        _machineLock?.Dispose();
        GC.SuppressFinalize(this);
    }
}
