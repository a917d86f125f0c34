import Foundation

// MARK: - Reading a price file

extension PriceList {
    /// The price list in the JSON file at `path`, in the shape of LiteLLM's
    /// `model_prices_and_context_window.json` (the shipped list is a trimmed copy):
    ///
    /// ```json
    /// {
    ///   "claude-sonnet-4-5": {
    ///     "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
    ///     "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
    ///     "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05
    ///   }
    /// }
    /// ```
    ///
    /// `input_cost_per_token` and `output_cost_per_token` are required; a cache
    /// price left out is the input price. One tier, `…_above_<N>k_tokens`, applies
    /// above N thousand prompt tokens; a kind without a tier price keeps its own.
    /// Other fields are ignored.
    ///
    /// ```swift
    /// let prices = try PriceList(contentsOfFile: "my-prices.json")
    /// ```
    ///
    /// - Throws: ``PriceListError`` naming the file, and the model and field at fault.
    public init(contentsOfFile path: String) throws(PriceListError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PriceListError(
                code: .unreadable, file: path, problem: "cannot read the price file (\(error.localizedDescription))",
                cause: error as NSError)
        }
        try self.init(json: data, file: path)
    }

    /// The price list in `json`, read as ``init(contentsOfFile:)`` reads a file; `file` names it in errors and is its ``source``.
    ///
    /// - Throws: ``PriceListError``.
    public init(json: Data, file: String) throws(PriceListError) {
        self.init(models: try Self.prices(inJSON: json, file: file), source: file)
    }

    /// The prices by model in `json`, as ``init(json:file:)`` reads them.
    ///
    /// - Throws: ``PriceListError`` naming `file`, and the model and field at fault.
    static func prices(inJSON json: Data, file: String) throws(PriceListError) -> [String: ModelPrice] {
        let entries: [String: PriceEntry]
        do {
            entries = try JSONDecoder().decode([String: PriceEntry].self, from: json)
        } catch let error as PriceListError {
            throw PriceListError(code: error.code, file: file, model: error.model, field: error.field, problem: error.problem)
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw PriceListError(code: .notAPriceList, file: file, problem: "not a JSON object of models and their prices")
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.count == 1 {
            throw PriceListError(
                code: .invalidPrice, file: file, model: context.codingPath[0].stringValue,
                problem: "not a JSON object of prices")
        } catch {
            throw PriceListError(code: .notAPriceList, file: file, problem: "not valid JSON (\(Self.reason(error)))")
        }
        return entries.mapValues(\.price)
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                ?? context.debugDescription
        }
        return String(describing: error)
    }
}

// MARK: - One model's entry

/// A model's entry of a price file.
private struct PriceEntry: Decodable {
    let price: ModelPrice

    /// The four kinds of token and their field names in LiteLLM's file.
    private static var kinds: [(field: String, rate: WritableKeyPath<ModelPrice.Rates, Double>)] {
        [
            ("input_cost_per_token", \.input), ("output_cost_per_token", \.output),
            ("cache_read_input_token_cost", \.cacheRead), ("cache_creation_input_token_cost", \.cacheCreation),
        ]
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FieldName.self)
        let model = decoder.codingPath.last?.stringValue ?? ""
        func failure(_ field: String, _ problem: String) -> PriceListError {
            PriceListError(code: .invalidPrice, file: "", model: model, field: field, problem: problem)
        }
        func rate(_ field: String) throws -> Double? {
            let key = FieldName(field)
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            guard let value = try? container.decode(Double.self, forKey: key), value.isFinite, value >= 0 else {
                throw failure(field, "not a price (a JSON number of dollars per token, 0 or more)")
            }
            return value
        }
        guard let input = try rate("input_cost_per_token") else { throw failure("input_cost_per_token", "missing") }
        guard let output = try rate("output_cost_per_token") else { throw failure("output_cost_per_token", "missing") }
        let base = ModelPrice.Rates(
            input: input, output: output, cacheRead: try rate("cache_read_input_token_cost") ?? input,
            cacheCreation: try rate("cache_creation_input_token_cost") ?? input)

        // The tier: `<kind>_above_<N>k_tokens`, one N for every kind.
        var threshold: (thousands: Int64, field: String)?
        var tierRates = base
        for key in container.allKeys {
            guard let (kind, thousands) = Self.tierField(key.stringValue) else { continue }
            if let threshold, threshold.thousands != thousands {
                throw failure(key.stringValue, "a second tier (above \(threshold.thousands)k in \(threshold.field)): one tier is read")
            }
            threshold = (thousands, key.stringValue)
            if let value = try rate(key.stringValue) { tierRates[keyPath: kind] = value }
        }
        price = ModelPrice(
            rates: base, tier: threshold.map { ModelPrice.Tier(thresholdTokens: $0.thousands * 1_000, rates: tierRates) })
    }

    /// The kind and threshold (in thousands of tokens) of a tier field such as `input_cost_per_token_above_200k_tokens`.
    private static func tierField(_ name: String) -> (WritableKeyPath<ModelPrice.Rates, Double>, Int64)? {
        for kind in kinds {
            let prefix = kind.field + "_above_"
            guard name.hasPrefix(prefix), name.hasSuffix("k_tokens") else { continue }
            let digits = name.dropFirst(prefix.count).dropLast("k_tokens".count)
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let thousands = Int64(digits)
            else { return nil }
            return (kind.rate, thousands)
        }
        return nil
    }
}

/// A field name of a model's entry.
private struct FieldName: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
