/**
 * One catalogue of diagnostics with stable codes, in English and Spanish. Inference and the file loader
 * return `Issue` values (never throw); the UI and the CLI render them with `formatIssue`.
 */
import { formatCount } from './number-format.ts';
import type { LayerKind, Lang } from './types.ts';

export type Severity = 'error' | 'warning';
export type IssueValues = Readonly<Record<string, string | number>>;

export interface Issue {
  readonly severity: Severity;
  readonly code: IssueCode;
  /** The node the issue is pinned to (absent for design-wide issues). */
  readonly nodeId?: string;
  /** The parameter at fault, when one is. */
  readonly param?: string;
  readonly values: IssueValues;
  /**
   * A one-click fix, where a simple one exists: parameter values for the node, and/or a layer of the given
   * kind to insert between the node and its input (a Flatten before a Dense that reads an image).
   */
  readonly fix?: {
    readonly params: Readonly<Record<string, unknown>>;
    /** Other nodes that take the same parameter values (a linear stack's layers but the last). */
    readonly also?: readonly string[];
    readonly insertBefore?: LayerKind;
    readonly label: IssueCode;
  };
}

type Render = (v: IssueValues) => string;
/** A percentage as each language writes it, to one decimal ("97.5 %", "97,5 %"): the figure the step compares. */
function percent(value: string | number | undefined, lang: Lang): string {
  const fixed = Number(value).toFixed(1);
  return `${lang === 'es' ? fixed.replace('.', ',') : fixed} %`;
}

const catalogue = {
  // Structure
  'cycle': {
    en: (v) => `${v.node} is part of a cycle (${v.path}); a network must flow one way`,
    es: (v) => `${v.node} forma parte de un ciclo (${v.path}); una red debe fluir en un solo sentido`,
  },
  'cycle-long': {
    en: (v) => `${v.node} is part of a cycle through ${formatCount(Number(v.count), 'en')} layers (${v.path}); a network must flow one way`,
    es: (v) => `${v.node} forma parte de un ciclo de ${formatCount(Number(v.count), 'es')} capas (${v.path}); una red debe fluir en un solo sentido`,
  },
  'no-input': {
    en: (v) => `${v.node} has no input: connect a layer to it`,
    es: (v) => `${v.node} no tiene entrada: conecta una capa a ella`,
  },
  'too-many-inputs': {
    en: (v) => `${v.node} takes ${v.max} input(s) but has ${v.count}`,
    es: (v) => `${v.node} admite ${v.max} entrada(s) pero tiene ${v.count}`,
  },
  'too-few-inputs': {
    en: (v) => `${v.node} needs at least ${v.min} inputs but has ${v.count}`,
    es: (v) => `${v.node} necesita al menos ${v.min} entradas pero tiene ${v.count}`,
  },
  // Connections refused while editing (the canvas shows the reason where the user let go)
  'connect-missing': {
    en: (v) => `Cannot connect: ${v.node} no longer exists`,
    es: (v) => `No se puede conectar: ${v.node} ya no existe`,
  },
  'connect-self': {
    en: (v) => `Cannot connect ${v.node} to itself`,
    es: (v) => `No se puede conectar ${v.node} consigo misma`,
  },
  'connect-into-input': {
    en: (v) => `${v.node} is an Input: it starts the network and takes no connections`,
    es: (v) => `${v.node} es una entrada: inicia la red y no admite conexiones`,
  },
  'connect-occupied': {
    en: (v) => `${v.node} takes ${v.max} input(s) and already reads from ${v.current}; delete that connection first, or use Add or Concatenate to merge`,
    es: (v) => `${v.node} admite ${v.max} entrada(s) y ya lee de ${v.current}; borra antes esa conexión, o usa Add o Concatenate para unirlas`,
  },
  'connect-cycle': {
    en: (v) => `Connecting ${v.source} to ${v.node} would make a cycle: ${v.node} already feeds ${v.source}`,
    es: (v) => `Conectar ${v.source} con ${v.node} crearía un ciclo: ${v.node} ya alimenta a ${v.source}`,
  },
  'paste-not-design': {
    en: (v) => `The clipboard holds no NetCanvas layers (${v.detail})`,
    es: (v) => `El portapapeles no contiene capas de NetCanvas (${v.detail})`,
  },
  'link-bad': {
    en: (v) => `This link does not carry a readable design: ${v.detail}`,
    es: (v) => `Este enlace no contiene un diseño legible: ${v.detail}`,
  },
  'input-has-inputs': {
    en: (v) => `${v.node} is an Input and cannot receive connections (${v.count} incoming)`,
    es: (v) => `${v.node} es una entrada y no puede recibir conexiones (${v.count} entrantes)`,
  },
  // Parameters
  'param-type': {
    en: (v) => `${v.node}: parameter ${v.param} must be ${v.expected}, got ${v.got}`,
    es: (v) => `${v.node}: el parámetro ${v.param} debe ser ${v.expected}, se recibió ${v.got}`,
  },
  'param-range': {
    en: (v) => `${v.node}: parameter ${v.param} = ${v.got} is out of range [${v.min}, ${v.max}]`,
    es: (v) => `${v.node}: el parámetro ${v.param} = ${v.got} está fuera del rango [${v.min}, ${v.max}]`,
  },
  'param-choice': {
    en: (v) => `${v.node}: parameter ${v.param} = "${v.got}" is not one of ${v.options}`,
    es: (v) => `${v.node}: el parámetro ${v.param} = "${v.got}" no es uno de ${v.options}`,
  },
  'param-unknown': {
    en: (v) => `${v.node}: unknown parameter ${v.param} for ${v.kind}`,
    es: (v) => `${v.node}: parámetro desconocido ${v.param} para ${v.kind}`,
  },
  // Shapes
  'needs-image': {
    en: (v) => `${v.node} (${v.kind}) needs an image input H×W×C but receives ${v.shape}`,
    es: (v) => `${v.node} (${v.kind}) necesita una entrada de imagen H×W×C pero recibe ${v.shape}`,
  },
  'kernel-too-large': {
    en: (v) => `${v.node}: kernel ${v.kernel} is larger than its ${v.input} input${v.padded ? ` (${v.padded} after padding)` : ''}`,
    es: (v) => `${v.node}: el kernel ${v.kernel} es mayor que su entrada de ${v.input}${v.padded ? ` (${v.padded} tras el relleno)` : ''}`,
  },
  'pool-pad-too-large': {
    en: (v) => `${v.node}: pads ${v.pads} must each be smaller than the ${v.pool} window, or a window would hold only padding`,
    es: (v) => `${v.node}: cada valor de pads ${v.pads} debe ser menor que la ventana de ${v.pool}, o una ventana contendría solo relleno`,
  },
  'stride-unused': {
    en: (v) => {
      const n = Number(v.unused);
      const what = v.axis === 'w' ? (n === 1 ? 'column' : 'columns') : n === 1 ? 'row' : 'rows';
      return `${v.node}: stride ${v.stride} leaves ${n} ${what} of the ${v.size}-${v.axis === 'w' ? 'wide' : 'high'} input unused`;
    },
    es: (v) => {
      const n = Number(v.unused);
      const what = v.axis === 'w' ? (n === 1 ? 'columna' : 'columnas') : n === 1 ? 'fila' : 'filas';
      return `${v.node}: el paso ${v.stride} deja sin usar ${n} ${what} de la entrada de ${v.size} de ${v.axis === 'w' ? 'ancho' : 'alto'}`;
    },
  },
  'stride-and-dilation': {
    en: (v) => `${v.node}: strides ${v.strides} together with dilation ${v.dilation} are not supported by TensorFlow.js; keep one of them at 1`,
    es: (v) => `${v.node}: pasos ${v.strides} junto con dilatación ${v.dilation} no están soportados por TensorFlow.js; deja uno de ellos en 1`,
  },
  'groups-divide': {
    en: (v) => `${v.node}: groups = ${v.groups} must divide both the ${v.cin} input channels and the ${v.filters} filters`,
    es: (v) => `${v.node}: groups = ${v.groups} debe dividir tanto los ${v.cin} canales de entrada como los ${v.filters} filtros`,
  },
  'unknown-channels': {
    en: (v) => `${v.node} needs to know the size of the last axis of its input (${v.shape})`,
    es: (v) => `${v.node} necesita conocer el tamaño del último eje de su entrada (${v.shape})`,
  },
  'add-shape-mismatch': {
    en: (v) => `${v.node}: Add needs equal shapes: ${v.a} vs ${v.b}`,
    es: (v) => `${v.node}: Add necesita formas iguales: ${v.a} frente a ${v.b}`,
  },
  'concat-mismatch': {
    en: (v) => `${v.node}: Concatenate needs equal shapes except the last axis: ${v.a} vs ${v.b}`,
    es: (v) => `${v.node}: Concatenate necesita formas iguales salvo el último eje: ${v.a} frente a ${v.b}`,
  },
  'rank-mismatch': {
    en: (v) => `${v.node}: inputs have different ranks: ${v.a} vs ${v.b}`,
    es: (v) => `${v.node}: las entradas tienen rangos distintos: ${v.a} frente a ${v.b}`,
  },
  'reshape-size': {
    en: (v) => `${v.node}: cannot reshape ${v.input} (${v.inCount} values) into ${v.target} (${v.outCount} values)`,
    es: (v) => `${v.node}: no se puede transformar ${v.input} (${v.inCount} valores) en ${v.target} (${v.outCount} valores)`,
  },
  'reshape-one-free': {
    en: (v) => `${v.node}: target_shape ${v.target} may contain -1 at most once`,
    es: (v) => `${v.node}: target_shape ${v.target} puede contener -1 como mucho una vez`,
  },
  'empty-output': {
    en: (v) => `${v.node}: output would be ${v.shape}, which holds no values`,
    es: (v) => `${v.node}: la salida sería ${v.shape}, que no contiene valores`,
  },
  'dense-on-image': {
    en: (v) => `${v.node}: Dense acts only on the last axis of ${v.shape}; add a Flatten before it to connect every value`,
    es: (v) => `${v.node}: Dense actúa solo sobre el último eje de ${v.shape}; añade un Flatten antes para conectar todos los valores`,
  },
  'linear-stack': {
    en: (v) =>
      `${v.nodes}: these ${v.count} layers compute one linear map (nothing non-linear between them), so together they learn no more than one layer would; give them an activation such as ReLU`,
    es: (v) =>
      `${v.nodes}: estas ${v.count} capas calculan una sola transformación lineal (nada no lineal entre ellas), así que juntas no aprenden más que una sola capa; dales una activación como ReLU`,
  },
  'flatten-noop': {
    en: (v) => `${v.node}: input ${v.shape} is already flat; Flatten does nothing here`,
    es: (v) => `${v.node}: la entrada ${v.shape} ya es plana; Flatten no hace nada aquí`,
  },
  'no-input-node': {
    en: () => `The design has no Input layer`,
    es: () => `El diseño no tiene ninguna capa de entrada (Input)`,
  },
  // Files
  'file-json': {
    en: (v) => `Not valid JSON: ${v.detail}`,
    es: (v) => `No es JSON válido: ${v.detail}`,
  },
  'file-format': {
    en: (v) => `Not a NetCanvas design: the "format" field is ${v.got} (expected "netcanvas")`,
    es: (v) => `No es un diseño de NetCanvas: el campo "format" es ${v.got} (se esperaba "netcanvas")`,
  },
  'file-version-future': {
    en: (v) => `This design was saved by a newer NetCanvas (file version ${v.got}); this app reads versions up to ${v.max}`,
    es: (v) => `Este diseño se guardó con un NetCanvas más reciente (versión ${v.got}); esta aplicación lee hasta la versión ${v.max}`,
  },
  'file-version-bad': {
    en: (v) => `The "version" field must be a whole number from 1 to ${v.max}, got ${v.got}`,
    es: (v) => `El campo "version" debe ser un número entero de 1 a ${v.max}; se recibió ${v.got}`,
  },
  'file-schema': {
    en: (v) => `${v.path}: ${v.detail}`,
    es: (v) => `${v.path}: ${v.detail}`,
  },
  'file-too-deep': {
    en: (v) => `The file nests lists or objects more than ${v.max} levels deep (at ${v.path}); a design never does`,
    es: (v) => `El archivo anida listas u objetos a más de ${v.max} niveles (en ${v.path}); un diseño nunca lo hace`,
  },
  'file-too-large': {
    en: (v) => `The design has ${v.count} ${v.what}; the limit is ${v.max}`,
    es: (v) => `El diseño tiene ${v.count} ${v.what}; el límite es ${v.max}`,
  },
  'unknown-kind': {
    en: (v) => `${v.node}: unknown layer kind "${v.kind}"`,
    es: (v) => `${v.node}: tipo de capa desconocido "${v.kind}"`,
  },
  'duplicate-id': {
    en: (v) => `Two ${v.what} share the id "${v.id}"`,
    es: (v) => `Dos ${v.what} comparten el id "${v.id}"`,
  },
  'dangling-edge': {
    en: (v) => `Connection ${v.edge} refers to a node "${v.missing}" that does not exist`,
    es: (v) => `La conexión ${v.edge} se refiere a un nodo "${v.missing}" que no existe`,
  },
  // Blocks (definitions, instances; checked before anything is flattened)
  'block-unknown': {
    en: (v) => `${v.where}: uses block "${v.block}", which is not defined`,
    es: (v) => `${v.where}: usa el bloque "${v.block}", que no está definido`,
  },
  'block-self': {
    en: (v) => `Block ${v.block} contains itself (${v.path}); a block cannot hold a copy of itself`,
    es: (v) => `El bloque ${v.block} se contiene a sí mismo (${v.path}); un bloque no puede llevar una copia de sí mismo`,
  },
  'block-too-deep': {
    en: (v) => `Blocks nest ${v.depth} levels deep at ${v.path}; the limit is ${v.max}`,
    es: (v) => `Los bloques se anidan ${v.depth} niveles en ${v.path}; el límite es ${v.max}`,
  },
  'block-too-large': {
    en: (v) => `Unfolded, the design has ${v.count} layers (${v.where} alone has ${v.part}); the limit is ${v.max}`,
    es: (v) => `Desplegado, el diseño tiene ${v.count} capas (solo ${v.where} tiene ${v.part}); el límite es ${v.max}`,
  },
  'block-duplicate-id': {
    en: (v) => `${v.where}: the name "${v.id}" is used twice (layers, blocks and ports need different names)`,
    es: (v) => `${v.where}: el nombre "${v.id}" se usa dos veces (capas, bloques y puertos necesitan nombres distintos)`,
  },
  'block-missing-end': {
    en: (v) => `${v.where}: connection ${v.edge} refers to "${v.missing}", which does not exist there`,
    es: (v) => `${v.where}: la conexión ${v.edge} se refiere a "${v.missing}", que no existe ahí`,
  },
  'block-port-unknown': {
    en: (v) => `${v.where}: ${v.node} has no ${v.side} port named "${v.port}"`,
    es: (v) => `${v.where}: ${v.node} no tiene ningún puerto de ${v.side === 'input' ? 'entrada' : 'salida'} llamado "${v.port}"`,
  },
  'block-port-twice': {
    en: (v) => `${v.where}: input "${v.port}" of ${v.node} is fed twice; a block input reads one layer`,
    es: (v) => `${v.where}: la entrada "${v.port}" de ${v.node} se alimenta dos veces; una entrada de bloque lee de una sola capa`,
  },
  'block-arg-unknown': {
    en: (v) => `${v.where}: block ${v.block} has no argument "${v.arg}"`,
    es: (v) => `${v.where}: el bloque ${v.block} no tiene ningún argumento "${v.arg}"`,
  },
  'block-arg-not-bool': {
    en: (v) => `${v.node}: keeps the layer only when "${v.arg}" is true or false, but it is ${v.got}`,
    es: (v) => `${v.node}: la capa depende de que "${v.arg}" sea true o false, pero vale ${v.got}`,
  },
  'block-outside': {
    en: (v) => `${v.node}: "${v.field}" only means something inside a block definition`,
    es: (v) => `${v.node}: "${v.field}" solo tiene sentido dentro de la definición de un bloque`,
  },
  'block-repeat-ports': {
    en: (v) => `${v.node}: only a block with one input and one output can repeat; ${v.block} has ${v.inputs} input(s) and ${v.outputs} output(s)`,
    es: (v) => `${v.node}: solo se puede repetir un bloque con una entrada y una salida; ${v.block} tiene ${v.inputs} entrada(s) y ${v.outputs} salida(s)`,
  },
  'block-override-range': {
    en: (v) => `${v.node}: has settings for copy ${v.copy}, but it has ${v.repeat} cop(ies), numbered from 0`,
    es: (v) => `${v.node}: tiene ajustes para la copia ${v.copy}, pero tiene ${v.repeat} copia(s), numeradas desde 0`,
  },
  'block-no-outputs': {
    en: (v) => `Block ${v.block} has no outputs; a block must hand something on`,
    es: (v) => `El bloque ${v.block} no tiene salidas; un bloque debe entregar algo`,
  },
  'block-flat-clash': {
    en: (v) => `Unfolding the blocks makes two layers named "${v.id}"; rename the layer or the block`,
    es: (v) => `Al desplegar los bloques salen dos capas llamadas "${v.id}"; renombra la capa o el bloque`,
  },
  'block-cycle': {
    en: (v) => `${v.where}: blocks ${v.path} feed each other in a loop; a network must flow one way`,
    es: (v) => `${v.where}: los bloques ${v.path} se alimentan en bucle; una red debe fluir en un solo sentido`,
  },
  // Block edits refused (group, repeat), shown where the user acted
  'group-empty': {
    en: () => `Select the layers to group first`,
    es: () => `Selecciona antes las capas que quieres agrupar`,
  },
  'group-not-convex': {
    en: (v) => `Cannot group: ${v.node} lies between selected layers but is not selected; select it too or leave out the layers after it`,
    es: (v) => `No se puede agrupar: ${v.node} está entre capas seleccionadas pero no lo está; selecciónala también o deja fuera las capas que la siguen`,
  },
  'group-no-output': {
    en: () => `Cannot group: nothing outside the selection reads from it, and it ends in no layer to expose`,
    es: () => `No se puede agrupar: nada fuera de la selección lee de ella y no termina en ninguna capa que exponer`,
  },
  'refold-edited': {
    en: (v) => `Cannot fold ${v.node} back into ${v.block}: its layers or wires were changed after it was unfolded; select them and group them (Ctrl+G) to make a block of them as they are`,
    es: (v) => `No se puede plegar ${v.node} de nuevo en ${v.block}: sus capas o conexiones cambiaron después de desplegarlo; selecciónalas y agrúpalas (Ctrl+G) para hacer un bloque con ellas tal como están`,
  },
  'compile-failed': {
    en: (v) => `TensorFlow.js could not build this network although its shapes check out: ${v.detail}. Please report it with the design file.`,
    es: (v) => `TensorFlow.js no pudo construir esta red aunque sus formas son correctas: ${v.detail}. Infórmalo adjuntando el archivo del diseño.`,
  },
  'weights-dropped': {
    en: (v) => `The saved weights were not loaded: ${v.detail}. The design itself loaded.`,
    es: (v) => `Los pesos guardados no se cargaron: ${v.detail}. El diseño sí se cargó.`,
  },
  'export-weights-mismatch': {
    en: (v) => `The weights do not fit the design and were not exported: ${v.detail}`,
    es: (v) => `Los pesos no encajan con el diseño y no se exportaron: ${v.detail}`,
  },
  // The .netcanvas container (src/graph/netcanvas-file.ts) and its weights.safetensors (safetensors.ts)
  'container-too-large': {
    en: (v) => `${v.file} is ${v.size} MB; NetCanvas opens .netcanvas files up to ${v.max} MB`,
    es: (v) => `${v.file} ocupa ${v.size} MB; NetCanvas abre archivos .netcanvas de hasta ${v.max} MB`,
  },
  'container-unreadable': {
    en: (v) =>
      `${v.file} is not a readable .netcanvas file: ${
        v.why === 'no-end' ? 'it is truncated or not a zip (its last bytes hold no end-of-archive record)'
        : v.why === 'directory' ? `its table of contents is cut off (entry ${v.at})`
        : v.why === 'entry' ? `${v.at} runs past the end of the file (it is truncated)`
        : v.why === 'zip64' ? 'it is a zip64 archive, which NetCanvas does not read'
        : `${v.at} cannot be decompressed`
      }`,
    es: (v) =>
      `${v.file} no es un archivo .netcanvas legible: ${
        v.why === 'no-end' ? 'está truncado o no es un zip (sus últimos bytes no tienen registro de fin de archivo)'
        : v.why === 'directory' ? `su índice está cortado (entrada ${v.at})`
        : v.why === 'entry' ? `${v.at} sigue más allá del final del archivo (está truncado)`
        : v.why === 'zip64' ? 'es un archivo zip64, que NetCanvas no lee'
        : `${v.at} no se puede descomprimir`
      }`,
  },
  'container-entry-missing': {
    en: (v) => `${v.file} holds no ${v.entry}; a .netcanvas file holds design.json and, with weights, weights.safetensors`,
    es: (v) => `${v.file} no contiene ${v.entry}; un archivo .netcanvas contiene design.json y, con pesos, weights.safetensors`,
  },
  'container-entry-compressed': {
    en: (v) => `${v.entry} in ${v.file} is compressed (zip method ${v.method}); NetCanvas reads it stored, as it writes it (zip -0)`,
    es: (v) => `${v.entry} en ${v.file} está comprimido (método zip ${v.method}); NetCanvas lo lee almacenado, como lo escribe (zip -0)`,
  },
  'container-inline-weights': {
    en: (v) => `${v.file}: design.json carries weights inline and weights.safetensors too; keep one of them`,
    es: (v) => `${v.file}: design.json lleva pesos dentro y también weights.safetensors; deja solo uno`,
  },
  'safetensors-header': {
    en: (v) => `${v.file}: the safetensors header is unreadable: ${v.why === 'length' ? `its length field says ${v.length} bytes but the file has ${v.size} after it` : v.why === 'json' ? `not valid JSON (${v.detail})` : v.why === 'entry' ? `the entry of ${v.tensor} is not {dtype, shape, data_offsets} with whole numbers` : `it is not a JSON object`}`,
    es: (v) => `${v.file}: la cabecera safetensors es ilegible: ${v.why === 'length' ? `su campo de longitud dice ${v.length} bytes pero el archivo tiene ${v.size} después` : v.why === 'json' ? `no es JSON válido (${v.detail})` : v.why === 'entry' ? `la entrada de ${v.tensor} no es {dtype, shape, data_offsets} con números enteros` : `no es un objeto JSON`}`,
  },
  'safetensors-dtype': {
    en: (v) => `${v.file}: tensor ${v.tensor} is ${v.dtype}; NetCanvas weights are F32 (float32)`,
    es: (v) => `${v.file}: el tensor ${v.tensor} es ${v.dtype}; los pesos de NetCanvas son F32 (float32)`,
  },
  'safetensors-offsets': {
    en: (v) => `${v.file}: tensor ${v.tensor} has data_offsets [${v.start}, ${v.end}], ${v.why === 'range' ? `outside the ${v.size} data bytes` : v.why === 'overlap' ? `overlapping tensor ${v.other}` : `but its shape [${v.shape}] needs ${v.need} bytes`}`,
    es: (v) => `${v.file}: el tensor ${v.tensor} tiene data_offsets [${v.start}, ${v.end}], ${v.why === 'range' ? `fuera de los ${v.size} bytes de datos` : v.why === 'overlap' ? `solapados con el tensor ${v.other}` : `pero su forma [${v.shape}] necesita ${v.need} bytes`}`,
  },
  'safetensors-shape': {
    en: (v) => `${v.file}: tensor ${v.tensor} is [${v.got}] but the design's layer needs [${v.want}]`,
    es: (v) => `${v.file}: el tensor ${v.tensor} es [${v.got}] pero la capa del diseño necesita [${v.want}]`,
  },
  'safetensors-missing': {
    en: (v) => `${v.file}: tensor ${v.tensor} is missing; the design's layer ${v.node} needs it`,
    es: (v) => `${v.file}: falta el tensor ${v.tensor}; lo necesita la capa ${v.node} del diseño`,
  },
  'safetensors-extra': {
    en: (v) => `${v.file}: tensor ${v.tensor} belongs to no weight of the design (names are "<layer id>.<weight>", e.g. conv1.kernel)`,
    es: (v) => `${v.file}: el tensor ${v.tensor} no corresponde a ningún peso del diseño (los nombres son "<id de capa>.<peso>", p. ej. conv1.kernel)`,
  },
  'safetensors-design-errors': {
    en: (v) => `${v.file}: the weights cannot be matched to the design, which has errors (its weight shapes are unknown)`,
    es: (v) => `${v.file}: los pesos no se pueden asociar al diseño, que tiene errores (no se conocen las formas de sus pesos)`,
  },
  // Import (src/import/): what a file from elsewhere holds that NetCanvas cannot take; nothing is half-imported
  'import-unreadable': {
    en: (v) => `${v.file} is not a readable ONNX model: its bytes are truncated or corrupt (${v.at})`,
    es: (v) => `${v.file} no es un modelo ONNX legible: sus bytes están truncados o dañados (${v.at})`,
  },
  'import-too-large': {
    en: (v) => `${v.file} is ${v.size} MB; NetCanvas imports models up to ${v.max} MB`,
    es: (v) => `${v.file} ocupa ${v.size} MB; NetCanvas importa modelos de hasta ${v.max} MB`,
  },
  'import-no-graph': {
    en: (v) => `${v.file} holds no ONNX graph (is it an ONNX model?)`,
    es: (v) => `${v.file} no contiene ningún grafo ONNX (¿es un modelo ONNX?)`,
  },
  'import-opset': {
    en: (v) => `The model uses opset ${v.version} of domain "${v.domain}"; NetCanvas reads opsets ${v.range} of the default domain`,
    es: (v) => `El modelo usa el opset ${v.version} del dominio "${v.domain}"; NetCanvas lee los opsets ${v.range} del dominio por defecto`,
  },
  'import-external-data': {
    en: (v) => `Tensor ${v.tensor} keeps its data in an external file; export the model with its weights inside (save_as_external_data=False)`,
    es: (v) => `El tensor ${v.tensor} guarda sus datos en un archivo externo; exporta el modelo con los pesos dentro (save_as_external_data=False)`,
  },
  'import-tensor': {
    en: (v) => `Tensor ${v.tensor} cannot be read: ${v.what}`,
    es: (v) => `No se puede leer el tensor ${v.tensor}: ${v.what}`,
  },
  'import-unknown-op': {
    en: (v) => `${v.op} at node ${v.node} is not supported: NetCanvas has no layer that computes it`,
    es: (v) => `${v.op} en el nodo ${v.node} no está soportado: NetCanvas no tiene ninguna capa que lo calcule`,
  },
  'import-op-attribute': {
    en: (v) => `${v.op} with ${v.attribute} ${v.value} at node ${v.node} is not supported`,
    es: (v) => `${v.op} con ${v.attribute} ${v.value} en el nodo ${v.node} no está soportado`,
  },
  'import-op-constant': {
    en: (v) => `${v.op} at node ${v.node} is not supported: its input ${v.input} is computed, and NetCanvas needs it constant`,
    es: (v) => `${v.op} en el nodo ${v.node} no está soportado: su entrada ${v.input} se calcula, y NetCanvas la necesita constante`,
  },
  'import-op-layout': {
    en: (v) => `${v.op} at node ${v.node} is not supported: it works on axis ${v.axis} of a ${v.layout} tensor, which no NetCanvas layer does`,
    es: (v) => `${v.op} en el nodo ${v.node} no está soportado: actúa sobre el eje ${v.axis} de un tensor ${v.layout}, cosa que ninguna capa de NetCanvas hace`,
  },
  'import-op-order': {
    en: (v) => `${v.op} at node ${v.node} is not supported: it reads values flattened in channels-first order, which only a Dense can take`,
    es: (v) => `${v.op} en el nodo ${v.node} no está soportado: lee valores aplanados en orden de canales primero, que solo una Dense admite`,
  },
  'import-graph-input': {
    en: (v) => `Graph input ${v.input} has shape ${v.shape}: NetCanvas needs a known [H, W, C] image or [F] vector per sample`,
    es: (v) => `La entrada ${v.input} del grafo tiene forma ${v.shape}: NetCanvas necesita una imagen [H, W, C] o un vector [F] conocidos por muestra`,
  },
  'import-shape': {
    en: (v) => `The imported layer ${v.node} (from ${v.op}) does not fit: ${v.detail}`,
    es: (v) => `La capa importada ${v.node} (de ${v.op}) no encaja: ${v.detail}`,
  },
  // Keras import (src/import/keras.ts)
  'import-keras-unreadable': {
    en: (v) => `${v.file} is not readable as a Keras model config (JSON): ${v.at}`,
    es: (v) => `${v.file} no se puede leer como configuración de modelo Keras (JSON): ${v.at}`,
  },
  'import-keras-not-model': {
    en: (v) => `${v.file} is neither a NetCanvas design ("format": "netcanvas") nor a Keras model config (class_name, config.layers)`,
    es: (v) => `${v.file} no es ni un diseño de NetCanvas ("format": "netcanvas") ni una configuración de modelo Keras (class_name, config.layers)`,
  },
  'import-keras-class': {
    en: (v) => `Keras layer ${v.layer} (${v.class}) is not supported: NetCanvas has no layer that computes it`,
    es: (v) => `La capa Keras ${v.layer} (${v.class}) no está soportada: NetCanvas no tiene ninguna capa que la calcule`,
  },
  'import-keras-custom': {
    en: (v) => `Keras layer ${v.layer} (${v.class}) is a custom class (${v.registered}); NetCanvas imports only Keras's own layers`,
    es: (v) => `La capa Keras ${v.layer} (${v.class}) es una clase propia (${v.registered}); NetCanvas solo importa las capas de Keras`,
  },
  'import-keras-channels-first': {
    en: (v) => `Keras layer ${v.layer} (${v.class}) uses data_format ${v.format}; NetCanvas imports channels_last models only`,
    es: (v) => `La capa Keras ${v.layer} (${v.class}) usa data_format ${v.format}; NetCanvas solo importa modelos channels_last`,
  },
  'import-keras-config': {
    en: (v) => `Keras layer ${v.layer} (${v.class}) is not supported with ${v.argument} = ${v.value}: no NetCanvas layer computes that`,
    es: (v) => `La capa Keras ${v.layer} (${v.class}) no está soportada con ${v.argument} = ${v.value}: ninguna capa de NetCanvas lo calcula`,
  },
  'import-keras-shared': {
    en: (v) => `Keras layer ${v.layer} is called ${v.calls} times (shared weights); a NetCanvas layer is used once`,
    es: (v) => `La capa Keras ${v.layer} se llama ${v.calls} veces (pesos compartidos); una capa de NetCanvas se usa una sola vez`,
  },
  'import-keras-wiring': {
    en: (v) => `Keras layer ${v.layer} reads ${v.source}, which is not a layer of the model`,
    es: (v) => `La capa Keras ${v.layer} lee ${v.source}, que no es una capa del modelo`,
  },
  'import-keras-input': {
    en: (v) => `Keras layer ${v.layer} has no input shape (${v.shape}); NetCanvas needs the input's shape`,
    es: (v) => `La capa Keras ${v.layer} no tiene forma de entrada (${v.shape}); NetCanvas necesita la forma de la entrada`,
  },
  'import-keras-dropped': {
    en: (v) => `Keras layer ${v.layer}: ${v.argument} was dropped (it changes training only; NetCanvas has no such setting)`,
    es: (v) => `Capa Keras ${v.layer}: se descartó ${v.argument} (solo cambia el entrenamiento; NetCanvas no tiene ese ajuste)`,
  },
  'import-keras-zip': {
    en: (v) => `${v.file} is not a .keras file (a zip with config.json and model.weights.h5): ${v.what}`,
    es: (v) => `${v.file} no es un archivo .keras (un zip con config.json y model.weights.h5): ${v.what}`,
  },
  'import-keras-weights': {
    en: (v) => `The weights of ${v.file} cannot be read: ${v.at}`,
    es: (v) => `No se pueden leer los pesos de ${v.file}: ${v.at}`,
  },
  'import-keras-weight-missing': {
    en: (v) => `${v.file} has no variable ${v.variable}; layer ${v.layer} needs it for its ${v.weight}`,
    es: (v) => `${v.file} no tiene la variable ${v.variable}; la capa ${v.layer} la necesita para su ${v.weight}`,
  },
  'import-keras-weight-shape': {
    en: (v) => `${v.file}: variable ${v.variable} of layer ${v.layer} is ${v.got}, but the layer needs ${v.want}`,
    es: (v) => `${v.file}: la variable ${v.variable} de la capa ${v.layer} es ${v.got}, pero la capa necesita ${v.want}`,
  },
  // Training data: the fit check (src/train/fit-check.ts) and the data loaders (src/train/datasets/)
  'fit-input-count': {
    en: (v) => `Training needs exactly one Input layer; the design has ${v.count}`,
    es: (v) => `Para entrenar hace falta exactamente una capa Input; el diseño tiene ${v.count}`,
  },
  'fit-input-shape': {
    en: (v) => `${v.node} expects ${v.expected}, but the ${v.dataset} images are ${v.shape}`,
    es: (v) => `${v.node} espera ${v.expected}, pero las imágenes de ${v.dataset} son de ${v.shape}`,
  },
  'fit-output-count': {
    en: (v) => `Training needs one output, but the design ends in ${v.count} layers (${v.nodes}); connect them into one`,
    es: (v) => `Para entrenar hace falta una sola salida, pero el diseño termina en ${v.count} capas (${v.nodes}); únelas en una`,
  },
  'fit-output-not-vector': {
    en: (v) => `${v.node} outputs ${v.shape}, but a classifier must end in a vector of ${v.classes} scores, one per class: add a Flatten (or GlobalAvgPool2D) and a Dense with ${v.classes} units`,
    es: (v) => `${v.node} produce ${v.shape}, pero un clasificador debe terminar en un vector de ${v.classes} puntuaciones, una por clase: añade un Flatten (o GlobalAvgPool2D) y un Dense de ${v.classes} unidades`,
  },
  'fit-output-units': {
    en: (v) => `${v.node} outputs ${v.units} values, but ${v.dataset} has ${v.classes} classes: the last layer needs one unit per class`,
    es: (v) => `${v.node} produce ${v.units} valores, pero ${v.dataset} tiene ${v.classes} clases: la última capa necesita una unidad por clase`,
  },
  'fit-head-activation': {
    en: (v) => `${v.node} ends in ${v.activation}; a classifier's last layer should apply softmax (probabilities) or no activation (logits)`,
    es: (v) => `${v.node} termina en ${v.activation}; la última capa de un clasificador debe aplicar softmax (probabilidades) o ninguna activación (logits)`,
  },
  'fit-dilation-untrainable': {
    en: (v) => `${v.node} uses dilation ${v.dilation}, which TensorFlow.js cannot train (it has no gradient for dilated convolutions); export it to PyTorch to train it, or set dilation to 1`,
    es: (v) => `${v.node} usa dilatación ${v.dilation}, que TensorFlow.js no puede entrenar (no tiene gradiente para convoluciones dilatadas); expórtala a PyTorch para entrenarla o pon la dilatación en 1`,
  },
  'fit-images-resized': {
    en: (v) =>
      `The ${v.dataset} images are ${v.sizes === 1 ? `${v.minH}×${v.minW}` : `${v.sizes} sizes from ${v.minH}×${v.minW} to ${v.maxH}×${v.maxW}`}` +
      `${Number(v.color) > 0 && Number(v.gray) > 0 ? `, ${v.color} in colour and ${v.gray} gray` : Number(v.color) > 0 ? ', in colour' : ''}; ` +
      `they are stretched to ${v.input} for ${v.node}. Keep that, or set ${v.node} to the images' own shape`,
    es: (v) =>
      `Las imágenes de ${v.dataset} son de ${v.sizes === 1 ? `${v.minH}×${v.minW}` : `${v.sizes} tamaños, de ${v.minH}×${v.minW} a ${v.maxH}×${v.maxW}`}` +
      `${Number(v.color) > 0 && Number(v.gray) > 0 ? `, ${v.color} en color y ${v.gray} en gris` : Number(v.color) > 0 ? ', en color' : ''}; ` +
      `se estiran a ${v.input} para ${v.node}. Déjalo así o pon ${v.node} en la forma propia de las imágenes`,
  },
  'fit-too-few-classes': {
    en: (v) => `${v.dataset} has ${v.classes} class(es); a classifier needs at least 2`,
    es: (v) => `${v.dataset} tiene ${v.classes} clase(s); un clasificador necesita al menos 2`,
  },
  'fit-design-errors': {
    en: (v) => `Fix the ${v.count} error(s) in the design before training`,
    es: (v) => `Corrige los ${v.count} error(es) del diseño antes de entrenar`,
  },
  'data-fetch': {
    en: (v) => `Could not download ${v.url}: ${v.detail}`,
    es: (v) => `No se pudo descargar ${v.url}: ${v.detail}`,
  },
  'data-manifest': {
    en: (v) => `The dataset description ${v.url} is not valid: ${v.detail}`,
    es: (v) => `La descripción del conjunto de datos ${v.url} no es válida: ${v.detail}`,
  },
  'data-corrupt': {
    en: (v) => `${v.file} is damaged or not a NetCanvas dataset file: ${v.detail}`,
    es: (v) => `${v.file} está dañado o no es un archivo de datos de NetCanvas: ${v.detail}`,
  },
  'data-unknown-dataset': {
    en: (v) => `There is no dataset called "${v.name}" (available: ${v.options})`,
    es: (v) => `No hay ningún conjunto de datos llamado "${v.name}" (disponibles: ${v.options})`,
  },
  'data-zip': {
    en: (v) => `The .zip file could not be read: ${v.detail}`,
    es: (v) => `No se pudo leer el archivo .zip: ${v.detail}`,
  },
  'data-no-class-folders': {
    en: (v) => `No class folders found among ${v.count} file(s): put the images in one sub-folder per class (for example cats/…, dogs/…)`,
    es: (v) => `No se encontraron carpetas de clase entre ${v.count} archivo(s): pon las imágenes en una subcarpeta por clase (por ejemplo gatos/…, perros/…)`,
  },
  'data-no-images': {
    en: (v) => `None of the ${v.count} file(s) is an image this page can read (${v.formats})`,
    es: (v) => `Ninguno de los ${v.count} archivo(s) es una imagen que esta página pueda leer (${v.formats})`,
  },
  'data-one-class': {
    en: (v) => `Only one class folder was found ("${v.name}"); a classifier needs at least two`,
    es: (v) => `Solo se encontró una carpeta de clase ("${v.name}"); un clasificador necesita al menos dos`,
  },
  'data-too-many-classes': {
    en: (v) => `${v.count} class folders found; the limit is ${v.max}`,
    es: (v) => `Se encontraron ${v.count} carpetas de clase; el límite es ${v.max}`,
  },
  'data-empty-class': {
    en: (v) => `The class folder "${v.name}" holds no usable images`,
    es: (v) => `La carpeta de clase "${v.name}" no contiene imágenes utilizables`,
  },
  'data-too-many-files': {
    en: (v) => `${v.count} images are more than the ${v.max} this page loads at once; use a smaller subset`,
    es: (v) => `${v.count} imágenes son más de las ${v.max} que esta página carga a la vez; usa un subconjunto más pequeño`,
  },
  'data-too-large': {
    en: (v) => `${v.what} is ${v.size} MB; the limit is ${v.max} MB`,
    es: (v) => `${v.what} ocupa ${v.size} MB; el límite es ${v.max} MB`,
  },
  'data-bad-shape': {
    en: (v) => `Images can be loaded as H×W×1 (gray) or H×W×3 (color), not ${v.shape}`,
    es: (v) => `Las imágenes se pueden cargar como H×W×1 (gris) o H×W×3 (color), no como ${v.shape}`,
  },
  'data-skipped-not-image': {
    en: (v) => `${v.count} file(s) are not images and were skipped (${v.examples})`,
    es: (v) => `${v.count} archivo(s) no son imágenes y se omitieron (${v.examples})`,
  },
  'data-skipped-undecodable': {
    en: (v) => `${v.count} image(s) could not be decoded and were skipped (${v.examples})`,
    es: (v) => `${v.count} imagen(es) no se pudieron decodificar y se omitieron (${v.examples})`,
  },
  'data-skipped-loose': {
    en: (v) => `${v.count} file(s) lie outside any class folder and were skipped (${v.examples})`,
    es: (v) => `${v.count} archivo(s) están fuera de cualquier carpeta de clase y se omitieron (${v.examples})`,
  },
  'data-skipped-large': {
    en: (v) => `${v.count} file(s) are larger than ${v.max} MB and were skipped (${v.examples})`,
    es: (v) => `${v.count} archivo(s) superan los ${v.max} MB y se omitieron (${v.examples})`,
  },
  // Lesson hints: why a step's check does not pass yet (graph/lesson-check.ts), and lesson file errors
  'lesson-missing-kind': {
    en: (v) => `The step wants ${v.want} ${v.kind} layer(s); the design has ${v.got}`,
    es: (v) => `El paso pide ${v.want} capa(s) ${v.kind}; el diseño tiene ${v.got}`,
  },
  'lesson-not-after': {
    en: (v) => `The step wants ${v.want} ${v.kind} layer(s) fed directly by a ${v.after}; ${v.got} are: connect a ${v.after} into it`,
    es: (v) => `El paso pide ${v.want} capa(s) ${v.kind} alimentada(s) directamente por una ${v.after}; hay ${v.got}: conecta una ${v.after} a ella`,
  },
  'lesson-no-kind-nth': {
    en: (v) => `The design has no ${v.kind} number ${v.nth}: it has ${v.got} (counted along the flow from the input)`,
    es: (v) => `El diseño no tiene una ${v.kind} número ${v.nth}: tiene ${v.got} (contadas a lo largo del flujo desde la entrada)`,
  },
  'lesson-no-name': {
    en: (v) => `No layer is named ${v.name}: set a layer's label to ${v.name}`,
    es: (v) => `Ninguna capa se llama ${v.name}: pon ${v.name} como etiqueta de una capa`,
  },
  'lesson-shape-unknown': {
    en: (v) => `${v.node}'s output shape is unknown (an error in it or above it); the step wants ${v.want}`,
    es: (v) => `La forma de salida de ${v.node} es desconocida (hay un error en ella o antes); el paso pide ${v.want}`,
  },
  'lesson-shape': {
    en: (v) => `${v.node}'s output is ${v.got}, the step wants ${v.want}`,
    es: (v) => `La salida de ${v.node} es ${v.got}, el paso pide ${v.want}`,
  },
  'lesson-totals-unknown': {
    en: () => `Some layers' shapes are unknown, so the totals are incomplete: fix the errors first`,
    es: () => `Hay capas con forma desconocida, así que los totales están incompletos: corrige primero los errores`,
  },
  'lesson-params': {
    en: (v) =>
      `The design has ${formatCount(Number(v.got), 'en')} ${v.which === 'trainable' ? 'trainable ' : ''}parameters; ` +
      `the step wants ${v.op === 'eq' ? 'exactly' : 'at most'} ${formatCount(Number(v.want), 'en')}`,
    es: (v) =>
      `El diseño tiene ${formatCount(Number(v.got), 'es')} parámetros${v.which === 'trainable' ? ' entrenables' : ''}; ` +
      `el paso pide ${v.op === 'eq' ? 'exactamente' : 'como mucho'} ${formatCount(Number(v.want), 'es')}`,
  },
  'lesson-macs': {
    en: (v) => `The design needs ${formatCount(Number(v.got), 'en')} MACs per image; the step wants ${v.op === 'eq' ? 'exactly' : 'at most'} ${formatCount(Number(v.want), 'en')}`,
    es: (v) => `El diseño necesita ${formatCount(Number(v.got), 'es')} MACs por imagen; el paso pide ${v.op === 'eq' ? 'exactamente' : 'como mucho'} ${formatCount(Number(v.want), 'es')}`,
  },
  'lesson-has-errors': {
    en: (v) => `The design still has ${v.count} error(s)${v.node ? `, the first in ${v.node}` : ''}: the status bar lists them`,
    es: (v) => `El diseño aún tiene ${v.count} error(es)${v.node ? `, el primero en ${v.node}` : ''}: la barra de estado los enumera`,
  },
  'lesson-no-answer': {
    en: () => `Answer the question to complete this step`,
    es: () => `Responde a la pregunta para completar este paso`,
  },
  'lesson-wrong-answer': {
    en: (v) => `${v.got} is not the answer yet: look again and try another`,
    es: (v) => `${v.got} aún no es la respuesta: vuelve a mirar y prueba otra`,
  },
  'lesson-field-small': {
    en: (v) => `${v.node} sees ${v.got}×${v.got2} pixels of the image; the step wants at least ${v.want}×${v.want}`,
    es: (v) => `${v.node} ve ${v.got}×${v.got2} píxeles de la imagen; el paso pide al menos ${v.want}×${v.want}`,
  },
  'lesson-field-unknown': {
    en: (v) => `${v.node}'s receptive field is unknown (no image input reaches it, or its shape is unknown); the step wants at least ${v.want}×${v.want}`,
    es: (v) => `El campo receptivo de ${v.node} es desconocido (no le llega una imagen de entrada, o su forma es desconocida); el paso pide al menos ${v.want}×${v.want}`,
  },
  'lesson-field-irregular': {
    en: (v) => `${v.node}'s receptive field changes from position to position (branches with different strides meet); the step wants one of at least ${v.want}×${v.want}`,
    es: (v) => `El campo receptivo de ${v.node} cambia de una posición a otra (se juntan ramas con pasos distintos); el paso pide uno de al menos ${v.want}×${v.want}`,
  },
  'lesson-no-skip': {
    en: (v) =>
      `The step wants ${v.want} skip connection(s), an Add fed by a layer and by a later layer that layer feeds; the design has ${v.got}` +
      (Number(v.adds) > 0 ? ` (its ${v.adds} Add layer(s) merge branches that do not run through each other)` : ''),
    es: (v) =>
      `El paso pide ${v.want} conexión(es) residual(es), una Add alimentada por una capa y por otra posterior a la que esa capa alimenta; el diseño tiene ${v.got}` +
      (Number(v.adds) > 0 ? ` (sus ${v.adds} capa(s) Add juntan ramas que no pasan una por la otra)` : ''),
  },
  'lesson-no-run': {
    en: (v) => `No results yet: load ${v.dataset} in the Train tab and train this design`,
    es: (v) => `Aún no hay resultados: carga ${v.dataset} en la pestaña Entrenar y entrena este diseño`,
  },
  'lesson-run-stale': {
    en: () => `The last results belong to an earlier version of the design: train it again as it is now`,
    es: () => `Los últimos resultados son de una versión anterior del diseño: vuelve a entrenarlo tal como está ahora`,
  },
  'lesson-run-dataset': {
    en: (v) => `The last run trained on ${v.got}; the step wants a run on ${v.want}`,
    es: (v) => `La última ejecución entrenó con ${v.got}; el paso pide una con ${v.want}`,
  },
  'lesson-accuracy': {
    en: (v) => `The run reached ${percent(v.got, 'en')} test accuracy on ${v.dataset}; the step wants at least ${percent(v.want, 'en')}: train longer or change the network`,
    es: (v) => `La ejecución llegó a un ${percent(v.got, 'es')} de acierto en la prueba con ${v.dataset}; el paso pide al menos un ${percent(v.want, 'es')}: entrena más o cambia la red`,
  },
  'lesson-unknown-kind': {
    en: (v) => `Lesson step ${v.step} checks for "${v.kind}", which is not a layer kind`,
    es: (v) => `El paso ${v.step} de la lección comprueba "${v.kind}", que no es un tipo de capa`,
  },
  'lesson-bad-answer': {
    en: (v) => `Lesson step ${v.step}: the right answer is option ${v.answer}, but the question has ${v.count} options`,
    es: (v) => `Paso ${v.step} de la lección: la respuesta correcta es la opción ${v.answer}, pero la pregunta tiene ${v.count} opciones`,
  },
  // Lesson locks: an edit refused because it would break one (graph/locks.ts), and lock file errors
  'lock-node': {
    en: (v) => `${v.node} is locked by the lesson: it cannot be deleted or moved into a block`,
    es: (v) => `${v.node} está bloqueada por la lección: no se puede borrar ni meter en un bloque`,
  },
  'lock-label': {
    en: (v) => `${v.node} is locked by the lesson: its name stays as it is`,
    es: (v) => `${v.node} está bloqueada por la lección: su nombre no cambia`,
  },
  'lock-param': {
    en: (v) => `${v.node}'s ${v.param} is locked by the lesson: it stays ${v.value}`,
    es: (v) => `El parámetro ${v.param} de ${v.node} está bloqueado por la lección: se queda en ${v.value}`,
  },
  'lock-wire': {
    en: (v) => `${v.node} is locked by the lesson: its connections cannot be removed`,
    es: (v) => `${v.node} está bloqueada por la lección: sus conexiones no se pueden quitar`,
  },
  'lock-instance': {
    en: (v) => `The block ${v.node} is locked by the lesson: it cannot be deleted, unfolded, ungrouped, made unique, repeated or edited, nor disconnected`,
    es: (v) => `El bloque ${v.node} está bloqueado por la lección: no se puede borrar, desplegar, desagrupar, hacer único, repetir ni editar, ni desconectar`,
  },
  'lock-block-use': {
    en: (v) => `${v.node} inside the block ${v.block} is locked by the lesson: ${v.instance}, a use of ${v.block}, cannot be deleted, unfolded, ungrouped or made unique`,
    es: (v) => `${v.node}, dentro del bloque ${v.block}, está bloqueada por la lección: ${v.instance}, un uso de ${v.block}, no se puede borrar, desplegar, desagrupar ni hacer único`,
  },
  'lock-locks': {
    en: () => `The locks are part of the lesson: a student cannot change them`,
    es: () => `Los bloqueos son parte de la lección: un estudiante no puede cambiarlos`,
  },
  'lock-undo': {
    en: () => `Undo and redo stop at the start of the lesson: going further would leave it`,
    es: () => `Deshacer y rehacer se detienen al principio de la lección: ir más allá la abandonaría`,
  },
  'lock-unknown-node': {
    en: (v) =>
      v.block
        ? `locks[${v.index}] names ${v.node} in the block ${v.block}, which is not a layer of that block definition`
        : `locks[${v.index}] names ${v.node}, which is not a top-level layer or block of the design (a layer inside a block is named with "block")`,
    es: (v) =>
      v.block
        ? `locks[${v.index}] nombra ${v.node} en el bloque ${v.block}, que no es una capa de esa definición de bloque`
        : `locks[${v.index}] nombra ${v.node}, que no es una capa ni un bloque del nivel superior del diseño (una capa dentro de un bloque se nombra con "block")`,
  },
  'lock-unknown-param': {
    en: (v) => `locks[${v.index}] locks the parameter ${v.param} of ${v.node}, but a ${v.kind} has no parameter of that name`,
    es: (v) => `locks[${v.index}] bloquea el parámetro ${v.param} de ${v.node}, pero una ${v.kind} no tiene ningún parámetro con ese nombre`,
  },
  'lock-duplicate': {
    en: (v) => `locks[${v.index}] locks ${v.node} a second time: put all its parameters in one lock`,
    es: (v) => `locks[${v.index}] bloquea ${v.node} por segunda vez: pon todos sus parámetros en un solo bloqueo`,
  },
  'fix-input-shape': { en: (v) => `set ${v.node} to ${v.shape}`, es: (v) => `poner ${v.node} en ${v.shape}` },
  'fix-dense-units': {
    en: (v) => `set the last Dense (${v.target}) to ${v.classes} units`,
    es: (v) => `poner el último Dense (${v.target}) en ${v.classes} unidades`,
  },
  'fix-conv-filters': {
    en: (v) => `set the last Conv2D (${v.target}) to ${v.classes} filters`,
    es: (v) => `poner el último Conv2D (${v.target}) en ${v.classes} filtros`,
  },
  'fix-activation-softmax': { en: () => `use softmax`, es: () => `usar softmax` },
  // Fix labels
  'fix-padding-same': { en: () => `use padding "same"`, es: () => `usar relleno "same"` },
  'fix-kernel': { en: (v) => `set kernel to ${v.kernel}`, es: (v) => `poner el kernel en ${v.kernel}` },
  'fix-dilation-1': { en: () => `set dilation to 1`, es: () => `poner la dilatación en 1` },
  'fix-groups-1': { en: () => `set groups to 1`, es: () => `poner groups en 1` },
  'fix-add-relu': {
    en: (v) => (Number(v.count) > 2 ? `use ReLU in all but the last` : `use ReLU in ${v.node}`),
    es: (v) => (Number(v.count) > 2 ? `usar ReLU en todas menos la última` : `usar ReLU en ${v.node}`),
  },
  'fix-insert-flatten': { en: () => `insert a Flatten before it`, es: () => `insertar un Flatten antes` },
} satisfies Record<string, { en: Render; es: Render }>;

export type IssueCode = keyof typeof catalogue;
export const ISSUE_CODES = Object.keys(catalogue) as IssueCode[];

/**
 * Message bounds. A value can be anything a file holds (a parameter name of a million characters); ids and
 * labels are at most 200, so a real name is never cut. A message of several values has its own ceiling.
 */
export const MAX_VALUE_CHARS = 300;
export const MAX_MESSAGE_CHARS = 1_000;

/** `text` cut to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

function clipValues(values: IssueValues): IssueValues {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) out[key] = typeof value === 'string' ? clip(value, MAX_VALUE_CHARS) : value;
  return out;
}

export function formatIssue(issue: Issue, lang: Lang = 'en'): string {
  return clip(catalogue[issue.code][lang](clipValues(issue.values)), MAX_MESSAGE_CHARS);
}

export function formatFixLabel(issue: Issue, lang: Lang = 'en'): string | undefined {
  return issue.fix ? clip(catalogue[issue.fix.label][lang](clipValues(issue.values)), MAX_MESSAGE_CHARS) : undefined;
}
