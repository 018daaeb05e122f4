import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../auth/auth.decorators';
import { IntakeService } from '../intake.service';
import { MessageResultDto } from './dto/message-result.dto';

@ApiTags('messages')
@Controller('api/v1/messages')
export class MessagesApiController {
  constructor(private readonly intake: IntakeService) {}

  @Post()
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({
    summary: 'Feed one bus message through the rules (webhooks, the embedded default)',
    description:
      'Accepts fedora-messaging JSON ({"topic","body","id","headers"}) or a datagrepper ' +
      'envelope ({"topic","msg","msg_id","timestamp","headers"}). The message is stored and ' +
      'its awards committed in one transaction; posting the same id again awards nothing.',
  })
  @ApiBody({ schema: { type: 'object' } })
  @ApiOkResponse({ type: MessageResultDto })
  async post(@Body() input: unknown): Promise<MessageResultDto> {
    return MessageResultDto.of(await this.intake.ingest(input, 'http'));
  }
}
