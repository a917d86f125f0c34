import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with an interim `100 Continue` as soon as a
/// request's head arrives, as RFC 9110 (section 10.1.1) asks of a server that
/// will read the body. Clients that wait for it send the body at once: curl
/// otherwise waits a second before every body over 1 MiB. Hummingbird leaves
/// interim responses to the application, so this handler sits in the pipeline
/// after the HTTP/1.1 codec.
///
/// ```swift
/// let server = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [ContinueHandler()]))
/// ```
final class ContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data), let expectation = request.headerFields[.expect],
            expectation.lowercased() == "100-continue"
        {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
