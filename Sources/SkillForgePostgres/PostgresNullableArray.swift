import NIOCore
import PostgresNIO

// MARK: - Arrays with NULL elements

/// A one-dimensional PostgreSQL array whose elements may be NULL, sent in the
/// binary format: PostgresNIO's `Array` encodes no `Optional` elements, and a
/// batch's column (`version`, `model`, …) has NULLs wherever a run leaves the
/// field out.
///
/// ```swift
/// binds.append(PostgresNullableArray<String>(["v2", nil]))   // text[] '{v2,NULL}'
/// ```
///
/// The format is `array_recv`'s: dimensions (1, or 0 when empty), whether any
/// element is NULL, the element type, the length and lower bound (1), then each
/// element as a length (-1 for NULL) and its bytes.
struct PostgresNullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>:
    PostgresNonThrowingEncodable, PostgresDynamicTypeEncodable
{
    var elements: [Element?]

    init(_ elements: [Element?]) {
        self.elements = elements
    }

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(clamping: elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(clamping: buffer.writerIndex - start), at: lengthIndex)
        }
    }
}
