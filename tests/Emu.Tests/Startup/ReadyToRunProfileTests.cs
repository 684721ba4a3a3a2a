using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Emu.R2RProfile;
using Emu.Tests.Conformance;

namespace Emu.Tests.Startup;

/// <summary>
/// src/R2RProfile: methods named as the JIT's summary prints them resolve to exactly that method, and the
/// profile it writes has the shape crossgen2 reads (a global AssemblyDictionary naming one group per assembly).
/// </summary>
public sealed class ReadyToRunProfileTests
{
    [Fact]
    public void A_generic_method_over_a_primitive_resolves_to_that_instantiation_and_overload()
    {
        var m = Assert.IsAssignableFrom<MethodInfo>(JitNames.Resolve("System.MemoryExtensions:AsSpan[byte](byte[],int,int)"));
        Assert.Equal([typeof(byte)], m.GetGenericArguments());
        Assert.Equal([typeof(byte[]), typeof(int), typeof(int)], m.GetParameters().Select(p => p.ParameterType));
        Assert.Equal(typeof(Span<byte>), m.ReturnType);
    }

    [Fact]
    public void Nested_generic_types_shared_code_constructors_and_type_initializers_resolve()
    {
        var moveNext = JitNames.Resolve("System.Collections.Generic.Dictionary`2+KeyCollection+Enumerator[ulong,System.__Canon]:MoveNext()");
        Assert.Equal(typeof(Dictionary<ulong, object>.KeyCollection.Enumerator), moveNext.DeclaringType);
        var ctor = JitNames.Resolve("System.Lazy`1[bool]:.ctor(System.Func`1[bool])");
        Assert.Equal(typeof(Lazy<bool>).GetConstructor([typeof(Func<bool>)]), ctor);
        Assert.True(JitNames.Resolve("System.Array+EmptyArray`1[byte]:.cctor()").IsStatic);
        var byRef = JitNames.Resolve("System.Threading.Interlocked:Exchange(byref,long)");
        Assert.Equal(typeof(long).MakeByRefType(), byRef.GetParameters()[0].ParameterType);
    }

    [Fact]
    public void Every_method_the_publish_profile_lists_resolves_to_one_method()
    {
        string list = Path.Combine(RepoLayout.Root, "src", "Emu.Cli", "ReadyToRunProfile.txt");
        var names = File.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        Assert.True(names.Count > 20, $"{list} lists {names.Count} methods");
        Assert.Equal(names.Count, names.Select(JitNames.Resolve).Distinct().Count());
    }

    [Theory]
    [InlineData("System.MemoryExtensions:AsSpan[byte](byte[],long)")] // no such overload
    [InlineData("System.NoSuchType:Foo()")]
    public void A_name_that_matches_no_method_is_an_error(string name) =>
        Assert.ThrowsAny<Exception>(() => JitNames.Resolve(name));

    [Fact]
    public void The_profile_lists_each_method_under_its_assembly()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("emu-mibc").FullName, "p.mibc");
        var methods = new List<MethodBase> { JitNames.Resolve("System.Array:Empty[int]()"), JitNames.Resolve("System.Lazy`1[bool]:.ctor(System.Func`1[bool])") };
        Emu.R2RProfile.Program.Write(methods, path);
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var handles = md.GetTypeDefinition(MetadataTokens.TypeDefinitionHandle(1)).GetMethods()
            .ToDictionary(h => md.GetString(md.GetMethodDefinition(h).Name));
        var globals = handles.ToDictionary(p => p.Key, p => md.GetMethodDefinition(p.Value));
        Assert.Equal(["AssemblyDictionary", "Group0"], globals.Keys.Order());
        // AssemblyDictionary: ldstr "System.Private.CoreLib"; ldtoken Group0; pop; ret.
        var dictionary = pe.GetMethodBody(globals["AssemblyDictionary"].RelativeVirtualAddress).GetILReader();
        Assert.Equal(0x72, dictionary.ReadByte());
        Assert.Equal("System.Private.CoreLib", md.GetUserString(MetadataTokens.UserStringHandle(dictionary.ReadInt32() & 0xFFFFFF)));
        Assert.Equal(0xD0, dictionary.ReadByte());
        Assert.Equal(MetadataTokens.GetToken(handles["Group0"]), dictionary.ReadInt32());
        Assert.Equal(0x26, dictionary.ReadByte());
        // Group0: ldtoken method; pop — once per method.
        var group = pe.GetMethodBody(globals["Group0"].RelativeVirtualAddress).GetILReader();
        int tokens = 0;
        while (group.RemainingBytes > 1)
        {
            Assert.Equal(0xD0, group.ReadByte());
            int token = group.ReadInt32();
            Assert.True(token >> 24 is 0x0A or 0x2B, $"token {token:x8} is neither a MemberRef nor a MethodSpec");
            Assert.Equal(0x26, group.ReadByte());
            tokens++;
        }
        Assert.Equal(2, tokens);
    }
}
