using System.Text;

namespace Emu.Tests.Conformance;

/// <summary>testbins/expected/NAME.{out,exit,args,env,runner}.</summary>
internal sealed record Expectation(string Stdout, int ExitCode, string[] Args, Dictionary<string, string> Environment,
    string[] RunnerOptions)
{
    public static Expectation Load(string name)
    {
        string basePath = Path.Combine(RepoLayout.ExpectedDir, name);
        string stdout = File.ReadAllText(basePath + ".out", Encoding.UTF8);
        int exit = File.Exists(basePath + ".exit") ? int.Parse(File.ReadAllText(basePath + ".exit").Trim()) : 0;
        // One argument per line, so arguments may contain spaces.
        string[] args = File.Exists(basePath + ".args") ? File.ReadAllLines(basePath + ".args", Encoding.UTF8) : [];
        // Options for the emulator itself (e.g. -L sysroot), understood by qemu-aarch64 too.
        string[] runnerOptions = File.Exists(basePath + ".runner") ? File.ReadAllLines(basePath + ".runner", Encoding.UTF8) : [];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(basePath + ".env"))
        {
            foreach (string line in File.ReadAllLines(basePath + ".env", Encoding.UTF8))
            {
                int eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                    environment[line[..eq]] = line[(eq + 1)..];
            }
        }
        return new Expectation(stdout, exit, args, environment, runnerOptions);
    }
}
