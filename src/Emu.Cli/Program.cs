namespace Emu.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("emu-aarch64: not yet wired");
        return 1;
    }
}
