using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace Emu.R2RProfile;

/// <summary>
/// Writes a MIBC profile: the framework methods listed in a text file, for crossgen2 to precompile into the
/// trimmed framework the self-contained publish carries. The list names methods as the JIT reports them
/// (<c>DOTNET_JitStdOutFile</c> with <c>DOTNET_JitDisasmSummary=1</c>), one per line, for example
/// <c>System.MemoryExtensions:AsSpan[byte](byte[],int,int)</c>. Generic instantiations over primitive types and
/// methods only the runtime calls have no ReadyToRun code otherwise, and each costs a JIT compile at every start.
/// The MIBC format is what crossgen2 reads (ILCompiler.IBC.MIbcProfileParser): a global method
/// <c>AssemblyDictionary</c> whose IL is <c>ldstr group; ldtoken groupMethod; pop</c> per group, and per group a
/// method whose IL is <c>ldtoken method; pop</c> per profiled method.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: R2RProfile LIST.txt OUT.mibc");
            return 2;
        }
        var methods = new List<MethodBase>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(args[0]))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            try
            {
                methods.Add(JitNames.Resolve(line));
            }
            catch (Exception e) when (e is ArgumentException or TypeLoadException or MissingMemberException)
            {
                Console.Error.WriteLine($"{args[0]}:{lineNumber}: {e.Message}");
                return 1;
            }
        }
        Write(methods, args[1]);
        return 0;
    }

    internal static void Write(List<MethodBase> methods, string path)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("EmuR2RProfile"), typeof(object).Assembly);
        var module = assembly.DefineDynamicModule("EmuR2RProfile");
        const MethodAttributes Global = MethodAttributes.Public | MethodAttributes.Static;
        // One group per defining assembly: crossgen2 uses a group only when its assembly is being compiled.
        var groups = new List<(string Assembly, MethodBuilder Method)>();
        foreach (var byAssembly in methods.GroupBy(m => m.DeclaringType!.Assembly.GetName().Name!))
        {
            var group = module.DefineGlobalMethod("Group" + groups.Count, Global, typeof(void), Type.EmptyTypes);
            var il = group.GetILGenerator();
            foreach (var method in byAssembly)
            {
                // By token: ILGenerator.Emit(ldtoken, ConstructorInfo) is refused (it takes call opcodes only).
                il.Emit(OpCodes.Ldtoken, method is ConstructorInfo constructor
                    ? module.GetMethodMetadataToken(constructor) : module.GetMethodMetadataToken((MethodInfo)method));
                il.Emit(OpCodes.Pop);
            }
            il.Emit(OpCodes.Ret);
            groups.Add((byAssembly.Key, group));
        }
        var dictionary = module.DefineGlobalMethod("AssemblyDictionary", Global, typeof(void), Type.EmptyTypes);
        var dil = dictionary.GetILGenerator();
        foreach (var (name, method) in groups)
        {
            dil.Emit(OpCodes.Ldstr, name);
            dil.Emit(OpCodes.Ldtoken, method);
            dil.Emit(OpCodes.Pop);
        }
        dil.Emit(OpCodes.Ret);
        module.CreateGlobalFunctions();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = new MemoryStream();
        assembly.Save(stream);
        File.WriteAllBytes(path, stream.ToArray());
    }
}

/// <summary>Resolves a method named the way the JIT's method summary prints it.</summary>
internal static class JitNames
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static |
                                     BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<string, Type> Primitives = new()
    {
        ["bool"] = typeof(bool),
        ["byte"] = typeof(byte),
        ["ubyte"] = typeof(byte),
        ["sbyte"] = typeof(sbyte),
        ["short"] = typeof(short),
        ["ushort"] = typeof(ushort),
        ["int"] = typeof(int),
        ["uint"] = typeof(uint),
        ["long"] = typeof(long),
        ["ulong"] = typeof(ulong),
        ["nint"] = typeof(nint),
        ["nuint"] = typeof(nuint),
        ["float"] = typeof(float),
        ["double"] = typeof(double),
        ["char"] = typeof(char),
        // Shared generic code: the JIT prints the canonical form; any reference type instantiates it.
        ["System.__Canon"] = typeof(object),
    };

    /// <summary><c>Namespace.Type`1+Nested[args]:Method[args](params)</c>.</summary>
    public static MethodBase Resolve(string name)
    {
        int paren = name.IndexOf('(');
        if (paren < 0 || name[^1] != ')') throw new ArgumentException($"'{name}': no parameter list");
        string head = name[..paren];
        string parameters = name[(paren + 1)..^1];
        int colon = head.IndexOf(':');
        if (colon < 0) throw new ArgumentException($"'{name}': no Type:Method");
        var type = ResolveType(head[..colon]);
        string method = head[(colon + 1)..];
        Type[] methodArgs = [];
        if (method.EndsWith(']'))
        {
            int open = method.IndexOf('[');
            methodArgs = [.. SplitArguments(method[(open + 1)..^1]).Select(ResolveType)];
            method = method[..open];
        }
        var candidates = method == ".cctor" ? [type.TypeInitializer ?? throw new MissingMemberException($"'{name}': no static constructor")]
            : method == ".ctor" ? type.GetConstructors(All & ~BindingFlags.Static).Cast<MethodBase>()
            : type.GetMethods(All).Where(m => m.Name == method && m.GetGenericArguments().Length == methodArgs.Length)
                .Select(m => methodArgs.Length == 0 ? m : m.MakeGenericMethod(methodArgs)).Cast<MethodBase>();
        // Shared code's parameters print as System.__Canon where the instantiation (object here) has System.Object.
        string wanted = parameters.Replace("System.__Canon", "System.Object", StringComparison.Ordinal);
        var found = candidates.Where(m => string.Join(",", m.GetParameters().Select(p => Format(p.ParameterType)))
            .Replace("System.__Canon", "System.Object", StringComparison.Ordinal) == wanted).ToList();
        return found.Count == 1 ? found[0]
            : throw new MissingMemberException($"'{name}': {found.Count} methods match (parameters as the JIT prints them: {string.Join("; ", candidates.Select(m => string.Join(",", m.GetParameters().Select(p => Format(p.ParameterType)))))})");
    }

    private static Type ResolveType(string name)
    {
        if (Primitives.TryGetValue(name, out var primitive)) return primitive;
        if (name.EndsWith("[]")) return ResolveType(name[..^2]).MakeArrayType();
        Type[] args = [];
        if (name.EndsWith(']'))
        {
            int open = name.IndexOf('[');
            args = [.. SplitArguments(name[(open + 1)..^1]).Select(ResolveType)];
            name = name[..open];
        }
        var type = typeof(object).Assembly.GetType(name) ?? FromAssemblyNamedLikeNamespace(name)
            ?? throw new TypeLoadException($"type '{name}' not found");
        return args.Length == 0 ? type : type.MakeGenericType(args);
    }

    /// <summary>A framework type outside CoreLib, from the assembly named like its namespace (System.Linq.Enumerable: System.Linq).</summary>
    private static Type? FromAssemblyNamedLikeNamespace(string name)
    {
        for (int dot = name.LastIndexOf('.'); dot > 0; dot = name.LastIndexOf('.', dot - 1))
        {
            try
            {
                if (Assembly.Load(name[..dot]).GetType(name) is { } type) return type;
            }
            catch (FileNotFoundException)
            {
            }
        }
        return null;
    }

    private static IEnumerable<string> SplitArguments(string list)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] == '[') depth++;
            else if (list[i] == ']') depth--;
            else if (list[i] == ',' && depth == 0)
            {
                yield return list[start..i];
                start = i + 1;
            }
        }
        yield return list[start..];
    }

    /// <summary>A parameter type as the JIT prints it.</summary>
    private static string Format(Type type)
    {
        if (type.IsByRef) return "byref";
        if (type.IsPointer || type.IsFunctionPointer) return "ptr";
        if (type.IsArray) return Format(type.GetElementType()!) + "[]";
        if (type.IsEnum) return Format(Enum.GetUnderlyingType(type));
        foreach (var (name, primitive) in Primitives)
            if (primitive == type && name is not "ubyte" and not "System.__Canon") return name;
        var text = new StringBuilder(type.IsGenericType ? type.GetGenericTypeDefinition().FullName : type.FullName ?? type.Name);
        if (type.IsGenericType)
            text.Append('[').AppendJoin(',', type.GetGenericArguments().Select(a => a.IsValueType ? Format(a) : "System.__Canon")).Append(']');
        return text.ToString();
    }
}
