using System.Diagnostics;
using System.Text.RegularExpressions;
using Emu.Tests.Conformance;
using Emu.Tests.Support;

namespace Emu.Tests.Binfmt;

/// <summary>A small guest that prints what the command line controls: argv[0], two variables, AT_HWCAP, AT_RANDOM.</summary>
public sealed class ProbeProgram : IDisposable
{
    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/auxv.h>
        int main(int argc, char **argv)
        {
            if (argc > 1 && strcmp(argv[1], "ldapr") == 0) {
                long v = 42, r;
                __asm__ volatile(".arch armv8.3-a\n ldapr %0, [%1]" : "=r"(r) : "r"(&v) : "memory");
                printf("ldapr %ld\n", r);
                return 0;
            }
            printf("argv0=%s\n", argv[0]);
            printf("FOO=%s\n", getenv("FOO") ? getenv("FOO") : "(unset)");
            printf("BAR=%s\n", getenv("BAR") ? getenv("BAR") : "(unset)");
            printf("hwcap=%lx\n", getauxval(AT_HWCAP));
            unsigned char *rnd = (unsigned char *)getauxval(AT_RANDOM);
            printf("random=");
            for (int i = 0; i < 16; i++) printf("%02x", rnd[i]);
            printf("\n");
            return 0;
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("emu-probe-").FullName;

    public string Path { get; }

    public ProbeProgram()
    {
        Path = System.IO.Path.Combine(_dir, "probe");
        string src = Path + ".c";
        File.WriteAllText(src, Source);
        var r = QemuOptionTests.Exec("aarch64-linux-gnu-gcc", ["-O1", "-static", "-o", Path, src], new Dictionary<string, string>());
        Assert.True(r.Status == 0, "aarch64-linux-gnu-gcc failed: " + r.Stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>The qemu-aarch64 compatible options and their QEMU_*/EMU_* variables, run through artifacts/bin/emu-aarch64.</summary>
public sealed class QemuOptionTests(ProbeProgram probe) : IClassFixture<ProbeProgram>
{
    private static readonly Dictionary<string, string> NoEnv = [];
    private static string Hello => System.IO.Path.Combine(RepoLayout.PrebuiltDir, "hello");

    internal static (int Status, string Stdout, string Stderr) Exec(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        // Options may come from the environment: none leak in from the test host.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("QEMU_", StringComparison.Ordinal) || k.StartsWith("EMU_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} timed out");
        }
        p.WaitForExit();
        return (p.ExitCode, BoundedIo.Result(o, $"{file} stdout"), BoundedIo.Result(e, $"{file} stderr"));
    }

    private static (int Status, string Stdout, string Stderr) Emu(IReadOnlyDictionary<string, string> env, params string[] args) =>
        Exec(RepoLayout.Runner(), args, env);

    private static (int Status, string Stdout, string Stderr) Emu(params string[] args) => Emu(NoEnv, args);

    private static string Field(string output, string name) => Regex.Match(output, $"(?m)^{name}=(.*)$").Groups[1].Value;

    [Fact]
    public void VersionAndHelp()
    {
        var v = Emu("-version");
        Assert.Equal(0, v.Status);
        Assert.Matches(@"^emu-aarch64 version \d+\.\d+", v.Stdout);
        var h = Emu("-h");
        Assert.Equal(0, h.Status);
        foreach (string opt in new[] { "-L path", "-E var=value", "-U var", "-0 argv0", "-s size", "-cpu model", "-d item", "-D logfile", "-strace", "-one-insn-per-tb", "-seed number", "-g port", "--binfmt", "QEMU_STRACE", "QEMU_GDB" })
            Assert.Contains(opt.TrimStart('-'), h.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentArgv0AndTheirVariables()
    {
        var r = Emu(new Dictionary<string, string> { ["BAR"] = "host" }, "-E", "FOO=1", "-U", "BAR", "-0", "custom", probe.Path);
        Assert.Equal(0, r.Status);
        Assert.Equal("custom", Field(r.Stdout, "argv0"));
        Assert.Equal("1", Field(r.Stdout, "FOO"));
        Assert.Equal("(unset)", Field(r.Stdout, "BAR"));

        var fromEnv = Emu(new Dictionary<string, string> { ["BAR"] = "host", ["QEMU_SET_ENV"] = "FOO=2", ["QEMU_UNSET_ENV"] = "BAR", ["QEMU_ARGV0"] = "viaenv" }, probe.Path);
        Assert.Equal("viaenv", Field(fromEnv.Stdout, "argv0"));
        Assert.Equal("2", Field(fromEnv.Stdout, "FOO"));
        Assert.Equal("(unset)", Field(fromEnv.Stdout, "BAR"));
    }

    [Fact]
    public void SeedMakesAtRandomReproducible()
    {
        string a = Field(Emu("-seed", "5", probe.Path).Stdout, "random");
        string b = Field(Emu(new Dictionary<string, string> { ["QEMU_RAND_SEED"] = "5" }, probe.Path).Stdout, "random");
        string c = Field(Emu("-seed", "6", probe.Path).Stdout, "random");
        Assert.Matches("^[0-9a-f]{32}$", a);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void CpuModelChangesHwcapsAndDecoding()
    {
        var a57 = Emu("-cpu", "cortex-a57", probe.Path);
        Assert.Equal(0, a57.Status);
        Assert.Equal("3", Field(a57.Stdout, "hwcap")); // HWCAP_FP | HWCAP_ASIMD

        // LDAPR is ARMv8.3 (RCpc): undefined on a Cortex-A57, implemented under max.
        var max = Emu("-cpu", "max", probe.Path, "ldapr");
        Assert.Equal(0, max.Status);
        Assert.Equal("ldapr 42\n", max.Stdout);
        var old = Emu(new Dictionary<string, string> { ["QEMU_CPU"] = "cortex-a53" }, "-d", "unimp", probe.Path, "ldapr");
        Assert.Equal(128 + 4, old.Status); // SIGILL
        Assert.Matches(@"unimplemented or undefined instruction 0xf8bfc0[0-9a-f]{2} at 0x[0-9a-f]{16}", old.Stderr);

        var help = Emu("-cpu", "help");
        Assert.Contains("cortex-a53", help.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, Emu("-cpu", "pentium", Hello).Status);
    }

    [Fact]
    public void LogItemsGoToTheLogFile()
    {
        string log = System.IO.Path.GetTempFileName();
        try
        {
            var r = Emu("-d", "in_asm,op,op_opt,exec,page", "-D", log, Hello);
            Assert.Equal(0, r.Status);
            Assert.Equal("Hello from emu-aarch64!\n", r.Stdout);
            Assert.Equal("", r.Stderr);
            string text = File.ReadAllText(log);
            Assert.Matches(@"(?m)^IN: ?$", text);
            Assert.Matches(@"(?m)^0x0000000000400580:  [0-9a-f]{8}\s+\S+", text); // the entry point, disassembled
            Assert.Matches(@"(?m)^OP:$", text);
            Assert.Matches(@"(?m)^OP after optimization:$", text);
            Assert.Matches(@"(?m)^Trace: 0x400580$", text);
            Assert.Matches(@"(?m)^[0-9a-f]{16}-[0-9a-f]{16} [0-9a-f]{16} rw-  \[stack\]$", text);
            Assert.Matches(@"(?m)^page: mapping changed at ", text); // malloc's brk after start-up
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public void OutAsmShowsHostCodeOfTier1Blocks()
    {
        // sha256 runs its hot loop long enough for Tier 1 to compile blocks (threshold 1) before it exits.
        var r = Emu("-d", "out_asm", "-tier1-threshold", "1", RepoLayout.Testbin("sha256"));
        Assert.Equal(0, r.Status);
        Assert.Matches(@"(?m)^OUT: \[guest 0x[0-9a-f]{16}\]$", r.Stderr);
        Assert.Matches(@"(?m)^0x[0-9a-f]{16}:  ret$", r.Stderr);
        Assert.Matches(@"(?m)^0x[0-9a-f]{16}:  (push|sub|mov|lea) ", r.Stderr);
    }

    [Fact]
    public void OneInsnPerTbMakesSingleInstructionBlocks()
    {
        var r = Emu(new Dictionary<string, string> { ["QEMU_LOG"] = "in_asm" }, "-one-insn-per-tb", Hello);
        Assert.Equal(0, r.Status);
        var blocks = r.Stderr.Split("IN:", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.True(blocks.Count > 100, $"only {blocks.Count} blocks");
        Assert.All(blocks, b => Assert.Single(Regex.Matches(b, @"(?m)^0x[0-9a-f]{16}:")));
    }

    [Fact]
    public void StraceLogsSystemCalls()
    {
        foreach (var r in new[] { Emu("-strace", Hello), Emu("-d", "strace", Hello), Emu(new Dictionary<string, string> { ["QEMU_STRACE"] = "1" }, Hello) })
        {
            Assert.Equal(0, r.Status);
            Assert.Matches(@"(?m)^\d+ write\(1,.*\) = 24$", r.Stderr);
            Assert.Matches(@"(?m)^\d+ exit_group\(0\)", r.Stderr);
        }
    }

    [Fact]
    public void StackSizeAndSysroot()
    {
        // -s: the [stack] mapping -d page shows has the size asked for.
        var r = Emu("-s", "1M", "-d", "page", Hello);
        Assert.Equal(0, r.Status);
        Assert.Matches(@"(?m)^[0-9a-f]{16}-[0-9a-f]{16} 0000000000100000 rw-  \[stack\]$", r.Stderr);
        // -L: the dynamic program's ELF interpreter is found under the sysroot.
        string dynamic = RepoLayout.Testbin("dynamic");
        Assert.NotEqual(0, Emu("-L", "/nonexistent", dynamic).Status);
        var ok = Emu(new Dictionary<string, string> { ["QEMU_LD_PREFIX"] = "/usr/aarch64-linux-gnu" }, dynamic);
        Assert.True(ok.Status == 0, ok.Stderr);
    }
}
