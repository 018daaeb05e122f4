import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../auth/auth.decorators';
import { RulesService } from '../rules.service';
import { RuleTestDto } from './dto/rule-test.dto';
import { presentDryRun } from './rules.presenter';
import { sinceDate } from './since';

const DEFAULT_SINCE = '30d';

@ApiTags('rules')
@Controller('api/v1/rules')
export class RulesApiController {
  constructor(private readonly rules: RulesService) {}

  /** A dry run (nothing is written): for rule authors, before a rule goes into the Collection. */
  @Post('test')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({
    summary: 'Run a rule over the stored message history: who would receive its badge, and why',
    description:
      'Each stored message since `since` that the rule may trigger on is evaluated against the ' +
      'history as it stood then, in a read-only transaction. People who already hold the badge ' +
      'are skipped, as the live rule would skip them.',
  })
  @ApiOkResponse({
    description:
      '{ badge_id, badge_name, since, scanned, triggered, awards: [{ user, msg_id, topic, sent_at, trace }], skipped, errors }',
  })
  @ApiBadRequestResponse({
    description:
      'RULE.INVALID: the rule does not load; `errors` lists each field of the rule with its problems ' +
      '(`rule` for the text as a whole). REQUEST.INVALID: a bad `since`.',
  })
  async test(@Body() dto: RuleTestDto) {
    const since = dto.since ?? sinceDate(DEFAULT_SINCE, new Date())!;
    return presentDryRun(await this.rules.dryRun(dto.rule, since));
  }
}
