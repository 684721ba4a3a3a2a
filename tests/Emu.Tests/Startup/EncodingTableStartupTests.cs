using System.Reflection;
using Emu.Frontend.Decoder;

namespace Emu.Tests.Startup;

/// <summary>
/// The encoding table is built at every start by A64Encodings' static initializer. Precompiled calls from a
/// class's static initializer to that class's own static methods are resolved again at every call (the class is
/// not initialized yet), which made the ~1000 lines cost ~2.7 ms; the line factory must stay in another class.
/// </summary>
public class EncodingTableStartupTests
{
    [Fact]
    public void The_table_class_has_no_static_methods_for_its_initializer_to_call()
    {
        var methods = typeof(A64Encodings).GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
        Assert.Empty(methods.Select(m => m.Name));
    }

    [Fact]
    public void Lines_without_a_group_are_base_and_lines_with_one_keep_it()
    {
        var adr = A64Encodings.All.Single(e => e.Name == "ADR");
        Assert.Equal("base", adr.Group);
        Assert.Equal(0x10000000u, adr.Value);
        Assert.Equal(0x9F000000u, adr.Mask);
        Assert.Contains(A64Encodings.All, e => e.Group == "simd");
    }
}
