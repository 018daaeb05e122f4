import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { SINCE_FORMAT, sinceDate } from '../since';

export class RuleTestDto {
  @ApiProperty({
    description: 'A rule file (YAML, fedbadges format), as it would go into the Collection',
    example:
      'name: Steady Tester\ndescription: Commented on 5 updates.\ncreator: me\n' +
      'discussion: https://example.org/1\nimage_url: https://example.org/steady.png\n' +
      "issuer_id: fedora\ntrigger:\n  topic: bodhi.update.comment\ncriteria:\n  datanommer:\n    filter:\n      topics: ['%(topic)s']\n      users: ['%(msg.comment.user.name)s']\n" +
      "    operation: count\n    condition:\n      greater than or equal to: 5\nrecipient: '%(msg.comment.user.name)s'\n",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200_000)
  rule: string;

  @ApiPropertyOptional({
    type: String,
    description: `Where in the stored history to start: ${SINCE_FORMAT}`,
    default: '30d',
    example: '30d',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (sinceDate(value, new Date()) ?? value) : value,
  )
  @IsDate({ message: `since must be ${SINCE_FORMAT}` })
  since?: Date;
}
