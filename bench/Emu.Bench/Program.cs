using BenchmarkDotNet.Running;

namespace Emu.Bench;

public static class Program
{
    // dotnet run -c Release --project bench/Emu.Bench -- --filter '*'
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
