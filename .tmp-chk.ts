import { Application, PackageJsonReader, ReflectionKind, TSConfigReader, TypeDocReader, type DeclarationReflection } from 'typedoc';
const app = await Application.bootstrapWithPlugins({ emit: 'none' }, [new TypeDocReader(), new PackageJsonReader(), new TSConfigReader()]);
const p = await app.convert();
const rs = p!.getReflectionsByKind(ReflectionKind.Function | ReflectionKind.Class) as DeclarationReflection[];
console.log(rs.length, rs.slice(0,5).map(r => r.getFullName() + ' ' + (r.signatures?.[0]?.comment?.blockTags.map(t=>t.tag).join(',') ?? r.comment?.blockTags.map(t=>t.tag).join(','))));
const fns = p!.getReflectionsByKind(ReflectionKind.Method) as DeclarationReflection[];
const noex = fns.filter(r => !(r.signatures ?? []).some(s => s.comment?.blockTags.some(t => t.tag==='@example')));
console.log('methods', fns.length, 'without example', noex.length, noex.slice(0,10).map(r=>r.getFullName()));
