import Foundation
import HearthCore
import HearthRegistry

/// `GET /api/v1/instances/{id}`: the instance as in the list, plus what its Spacefile declares
/// (micros, public routes, configuration variables with their values, scheduled actions).
struct InstanceDetails: Encodable {
    struct MicroAnswer: Encodable {
        let name, engine, path: String
        let primary, apiKeys: Bool
        let publicRoutes: [String]
        let actions: [ActionAnswer]
    }

    struct ActionAnswer: Encodable {
        let id, name: String
        let description: String?
    }

    struct Variable: Encodable {
        let name: String
        let description, `default`, value: String?
    }

    let instance: InstanceAnswer
    let micros: [MicroAnswer]
    let env: [Variable]

    init(_ instance: InstanceAnswer, spacefile: Spacefile?, values: [String: String]) {
        self.instance = instance
        let micros = spacefile?.micros ?? []
        self.micros = micros.map { micro in
            MicroAnswer(
                name: micro.name, engine: micro.engine.rawValue, path: micro.path, primary: micro.primary, apiKeys: micro.presets.apiKeys,
                publicRoutes: micro.publicRoutes,
                actions: micro.actions.map { ActionAnswer(id: $0.id, name: $0.name, description: $0.description) })
        }
        env = micros.flatMap(\.presets.env).map {
            Variable(name: $0.name, description: $0.description, default: $0.defaultValue, value: values[$0.name])
        }
    }

    func encode(to encoder: any Encoder) throws {
        try instance.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(micros, forKey: .micros)
        try container.encode(env, forKey: .env)
    }

    enum Keys: String, CodingKey { case micros, env }
}
