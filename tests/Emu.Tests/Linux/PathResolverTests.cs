using Emu.Linux;

namespace Emu.Tests.Linux;

public sealed class PathResolverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("emu-sysroot").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void PrefersTheSysrootWhenThePathExistsThere()
    {
        Directory.CreateDirectory(Path.Combine(_root, "lib"));
        File.WriteAllText(Path.Combine(_root, "lib", "ld-linux-aarch64.so.1"), "x");
        var r = new PathResolver(_root + "/", "/bin/prog");
        Assert.Equal(_root + "/lib/ld-linux-aarch64.so.1", r.Resolve("/lib/ld-linux-aarch64.so.1"));
        Assert.Equal(_root + "/lib", r.Resolve("/lib"));
    }

    [Fact]
    public void FallsBackToTheHostPath()
    {
        var r = new PathResolver(_root, "/bin/prog");
        Assert.Equal("/etc/hostname-that-is-not-in-sysroot", r.Resolve("/etc/hostname-that-is-not-in-sysroot"));
        Assert.Equal("relative/path", r.Resolve("relative/path"));
    }

    [Fact]
    public void CountsDanglingSymlinksInTheSysroot()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "dangling"), "/nonexistent-target");
        var r = new PathResolver(_root, "/bin/prog");
        Assert.Equal(_root + "/dangling", r.Resolve("/dangling"));
    }

    [Fact]
    public void WithoutSysrootOnlySelfExeChanges()
    {
        var r = new PathResolver(null, "/opt/guest/prog");
        Assert.Equal("/usr/lib/x", r.Resolve("/usr/lib/x"));
        Assert.Equal("/opt/guest/prog", r.Resolve("/proc/self/exe"));
        Assert.Equal("/opt/guest/prog", r.Resolve($"/proc/{Environment.ProcessId}/exe"));
    }
}
